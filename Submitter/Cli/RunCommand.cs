using System.CommandLine;
using System.CommandLine.Parsing;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Cli;

/// <summary><c>Submitter run &lt;pipeline&gt; ...</c>: one run, from the readiness gate to its terminal state, then an exit code.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cluster = new ClusterFlags(catalogRequired: true,
            $"How long to wait for the cluster to be ready before giving up with exit code {ExitCodes.NotReady} [default: {ClusterFlags.Defaults.ReadyTimeout.TotalSeconds}].");
        var pipeline = new Argument<string>("pipeline") { Description = "Name of a pipeline in the catalog." };
        var extraArgs = new Argument<string[]>("pipeline-args")
        {
            Description = "Extra arguments for the pipeline, after the catalog's own; put them after '--' so options reach the pipeline.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var grace = NumberOptions.Seconds("--grace",
            $"How long a client may live on after its Flink job ended before it is stopped [default: {ClusterFlags.Defaults.Grace.TotalSeconds}].",
            allowZero: true);
        var jobTimeout = NumberOptions.Seconds("--job-timeout",
            $"How long a running client may go without its Flink job appearing before the run is TimedOut [default: {ClusterFlags.Defaults.JobTimeout.TotalSeconds}].");
        var retries = NumberOptions.Count("--retries", "n", "Retries for a client that fails transiently before its job exists.", 0, ClusterFlags.Defaults.Retries);
        var dataDir = DataDirectoryOption();
        var json = new Option<bool>("--json") { Description = "Print the final run record as one JSON object on stdout (logs stay on stderr)." };

        var command = new Command("run",
            "Launch one catalogued pipeline once the cluster is ready, follow it to its end and exit with its outcome.\n"
            + $"Exit codes: {ExitCodes.Succeeded} Succeeded, {ExitCodes.Failed} Failed or TimedOut, {ExitCodes.BadInput} bad input, "
            + $"{ExitCodes.NotReady} cluster not ready in time, {ExitCodes.Cancelled} Cancelled (Ctrl+C or SIGTERM cancels the run).")
        {
            pipeline, extraArgs,
        };
        foreach (var option in cluster.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(grace);
        command.Options.Add(jobTimeout);
        command.Options.Add(retries);
        command.Options.Add(dataDir);
        command.Options.Add(json);

        command.SetAction(async (parse, _) =>
        {
            if (StrayOption(parse, extraArgs) is { } stray)
            {
                await stderr.WriteLineAsync(
                    $"Unrecognized option '{stray}' for 'run'. Pipeline arguments that start with '-' go after '--', "
                    + "e.g. Submitter run wordcount --catalog ... -- --min-count 2.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            void Configure(SubmitterOptions options)
            {
                cluster.Apply(parse, options);
                options.Grace = parse.GetValue(grace) is { } g ? TimeSpan.FromSeconds(g) : options.Grace;
                options.JobTimeout = parse.GetValue(jobTimeout) is { } t ? TimeSpan.FromSeconds(t) : options.JobTimeout;
                options.Retries = parse.GetValue(retries);
                options.DataDirectory = parse.GetValue(dataDir)!;
            }

            return await ExecuteAsync(Configure, parse.GetValue(pipeline)!, parse.GetValue(extraArgs) ?? [], parse.GetValue(json), stdout, stderr)
                .ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// A token like "--flnk" before "--" would otherwise land among the pipeline arguments: a typo must be an error,
    /// not an argument silently handed to the pipeline.
    /// </summary>
    private static string? StrayOption(ParseResult parse, Argument<string[]> extraArgs)
    {
        var argumentTokens = parse.GetResult(extraArgs)?.Tokens ?? [];
        var doubleDash = parse.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        var afterDoubleDash = doubleDash < 0 ? 0 : parse.Tokens.Count - doubleDash - 1;
        return argumentTokens.Take(Math.Max(0, argumentTokens.Count - afterDoubleDash))
            .Select(t => t.Value)
            .FirstOrDefault(v => v.StartsWith('-'));
    }

    public static Option<string> DataDirectoryOption() => new("--data-dir")
    {
        HelpName = "dir",
        Description = "Folder of the run history (runs.db).",
        DefaultValueFactory = _ => ClusterFlags.Defaults.DataDirectory,
    };

    public static async Task<int> ExecuteAsync(
        Action<SubmitterOptions> configure, string pipelineName, IReadOnlyList<string> extraArgs, bool json, TextWriter stdout, TextWriter stderr)
    {
        await using var services = CliServices.BuildEngine(configure);
        // Options, catalog and pipeline, then the history and this run's registration in the data directory: all checked
        // before any wait, and nothing is written for a request that cannot run.
        if (!await CliServices.PreflightAsync(services, stderr, typeof(PipelineCatalog)).ConfigureAwait(false))
        {
            return ExitCodes.BadInput;
        }

        var catalog = services.GetRequiredService<PipelineCatalog>();
        if (!catalog.TryGet(pipelineName, out var definition))
        {
            await stderr.WriteLineAsync(new UnknownPipelineException(pipelineName, catalog.Names).Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        if (!await CliServices.PreflightAsync(services, stderr, typeof(RunManager)).ConfigureAwait(false))
        {
            return ExitCodes.BadInput;
        }

        var request = new RunRequest(pipelineName, extraArgs);
        try
        {
            services.GetRequiredService<RunManager>().Validate(request);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        using var signals = new TerminationSignals();
        var options = services.GetRequiredService<IOptions<SubmitterOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("FlinkBeam.Submitter.Cli");
        try
        {
            // A wrong or missing interpreter is bad input that no amount of waiting fixes: report it before the wait.
            var python = await services.GetRequiredService<PythonEnvironmentCheck>().CheckAsync(signals.Token).ConfigureAwait(false);
            if (!python.Ok)
            {
                await stderr.WriteLineAsync($"{python.Name}: expected {python.Expected}, saw {python.Observed}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var gate = services.GetRequiredService<IReadinessGate>();
            var report = await gate.WaitUntilReadyAsync(definition.Parallelism, options.ReadyTimeout, signals.Token).ConfigureAwait(false);
            if (!report.IsReady)
            {
                await stderr.WriteLineAsync($"The cluster was not ready within {options.ReadyTimeout.TotalSeconds} s:{Environment.NewLine}{report.Describe()}")
                    .ConfigureAwait(false);
                return ExitCodes.NotReady;
            }
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"Stopped by {signals.Signal} before the run started.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }

        IRunManager runs;
        RunRecord run;
        try
        {
            runs = services.GetRequiredService<IRunManager>();
            run = await runs.StartAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RunStoreException e)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        RunRecord final;
        try
        {
            final = await runs.WaitAsync(run.Id, signals.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            logger.LogWarning("{Signal} received: cancelling run {RunId}", signals.Signal, run.Id);
            try
            {
                await runs.CancelAsync(run.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RunNotActiveException)
            {
                // It ended on its own meanwhile; its own outcome stands.
            }

            final = await runs.WaitAsync(run.Id, CancellationToken.None).ConfigureAwait(false);
        }

        await runs.ShutdownAsync(cancelActive: true, CancellationToken.None).ConfigureAwait(false);

        if (json)
        {
            await stdout.WriteLineAsync(ApiJson.Serialize(final)).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync(Describe(final)).ConfigureAwait(false);
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodeOf(final);
    }

    public static int ExitCodeOf(RunRecord run) => run.State switch
    {
        RunState.Succeeded => ExitCodes.Succeeded,
        RunState.Cancelled => ExitCodes.Cancelled,
        _ when run.FailureReason == RunFailureReason.ClusterNotReady => ExitCodes.NotReady,
        _ => ExitCodes.Failed,
    };

    private static string Describe(RunRecord run)
    {
        var lines = new List<string>
        {
            $"Run {run.Id} ({run.Pipeline}, job {run.JobName}): {run.State}",
            $"  Flink job: {run.FlinkJobId ?? "none"}{(run.FlinkState is null ? "" : $" ({run.FlinkState})")}",
            $"  attempts: {run.Attempts}; client exit code: {(run.ClientExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}",
        };
        lines.AddRange(run.Warnings.Select(w => $"  warning: {w}"));
        if (run.Error is not null)
        {
            lines.Add($"  error: {run.Error}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
