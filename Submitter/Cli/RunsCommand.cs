using System.CommandLine;
using System.Globalization;
using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Cli;

/// <summary>
/// <c>Submitter runs</c>: a page of the run history, newest first. It only reads: nothing is created, migrated or
/// written, and a damaged record is one line naming the run and the file.
/// </summary>
internal static class RunsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dataDir = RunCommand.DataDirectoryOption();
        var json = new Option<bool>("--json") { Description = "Print the runs as one JSON array on stdout." };
        var limit = NumberOptions.Count("--limit", "n", $"How many runs to list at most (1 to {RunQuery.MaxLimit}).", 1, 20, RunQuery.MaxLimit);
        var states = new Option<RunState[]>("--state")
        {
            HelpName = "state",
            Description = $"Only runs in this state; repeat for several. One of: {string.Join(", ", Enum.GetNames<RunState>())}.",
            CustomParser = result =>
            {
                var values = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                if (values.FirstOrDefault(v => RunStates.Parse(v) is null) is { } bad)
                {
                    result.AddError($"--state '{bad}' is not one of: {string.Join(", ", Enum.GetNames<RunState>())}.");
                    return [];
                }

                return values.Select(v => RunStates.Parse(v)!.Value).ToArray();
            },
        };
        var pipeline = new Option<string?>("--pipeline") { HelpName = "name", Description = "Only runs of this pipeline." };
        var after = new Option<RunCursor?>("--after")
        {
            HelpName = "cursor",
            Description = "Continue after this cursor (printed below a page that has more).",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (!RunCursor.TryParse(text, out var cursor))
                {
                    result.AddError($"--after '{text}' is not a cursor of the history; use the one printed below the previous page.");
                }

                return cursor;
            },
        };

        var command = new Command("runs", "List the run history of a data directory, newest first, a page at a time.")
        {
            dataDir, limit, states, pipeline, after, json,
        };
        command.SetAction(async (parse, _) =>
        {
            var query = new RunQuery(parse.GetValue(limit), parse.GetValue(after), parse.GetValue(states) ?? [], parse.GetValue(pipeline));
            return await ExecuteAsync(parse.GetValue(dataDir)!, query, parse.GetValue(json), stdout, stderr).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(string dataDirectory, RunQuery query, bool json, TextWriter stdout, TextWriter stderr)
    {
        RunPage page;
        try
        {
            if (!HistoryFile.TryOpenReadOnly(dataDirectory, out var file))
            {
                page = new RunPage([], null);
            }
            else
            {
                using (file)
                {
                    var history = new RunHistory(file);
                    await using (history.ConfigureAwait(false))
                    {
                        page = history.Query(query);
                    }
                }
            }
        }
        catch (RunStoreException e)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        if (json)
        {
            await stdout.WriteLineAsync(ApiJson.Serialize(page.Runs)).ConfigureAwait(false);
        }
        else if (page.Runs.Count == 0)
        {
            await stdout.WriteLineAsync($"No runs in {Path.GetFullPath(dataDirectory)}{(query.After is null ? "" : " after that cursor")}.").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync(Table(page.Runs)).ConfigureAwait(false);
        }

        if (page.Next is { } next)
        {
            // The cursor goes to stderr with --json, so stdout stays one JSON array.
            await (json ? stderr : stdout).WriteLineAsync($"More runs follow: --after {next}").ConfigureAwait(false);
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Succeeded;
    }

    private static string Table(IReadOnlyList<RunRecord> runs)
    {
        string[] header = ["ID", "PIPELINE", "STATE", "FLINK", "ATTEMPTS", "CREATED (UTC)", "JOB"];
        var rows = runs.Select(r => new[]
        {
            r.Id, r.Pipeline, r.State.ToString(), r.FlinkState ?? "-", r.Attempts.ToString(CultureInfo.InvariantCulture),
            r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.JobName,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(row => row[i].Length))).ToArray();
        return string.Join(Environment.NewLine,
            new[] { header }.Concat(rows).Select(row => string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()));
    }
}
