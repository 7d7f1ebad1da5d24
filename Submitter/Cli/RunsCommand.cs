using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Cli;

/// <summary><c>Submitter runs</c>: the run history, newest first.</summary>
internal static class RunsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dataDir = RunCommand.DataDirectoryOption();
        var json = new Option<bool>("--json") { Description = "Print the runs as one JSON array on stdout." };
        var command = new Command("runs", "List the run history of a data directory, newest first.") { dataDir, json };
        command.SetAction(async (parse, _) =>
            await ExecuteAsync(parse.GetValue(dataDir)!, parse.GetValue(json), stdout, stderr).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> ExecuteAsync(string dataDirectory, bool json, TextWriter stdout, TextWriter stderr)
    {
        IReadOnlyList<RunRecord> runs;
        if (!File.Exists(Path.Combine(Path.GetFullPath(dataDirectory), RunStore.FileName)))
        {
            // Listing must not create a history where there is none.
            runs = [];
        }
        else
        {
            try
            {
                using var store = RunStore.Open(dataDirectory);
                runs = store.LoadAll().OrderByDescending(r => r.CreatedAt).ToList();
            }
            catch (RunStoreException e)
            {
                await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(runs.Select(RunSummary.From), ApiJson.Options)).ConfigureAwait(false);
        }
        else if (runs.Count == 0)
        {
            await stdout.WriteLineAsync($"No runs in {Path.GetFullPath(dataDirectory)}.").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync(Table(runs)).ConfigureAwait(false);
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
