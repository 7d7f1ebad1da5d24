using System.CommandLine;
using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Cli;

/// <summary><c>Submitter check ...</c>: only the readiness gate; prints every condition with what was expected and seen.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cluster = new ClusterFlags(catalogRequired: false,
            "Keep checking until the cluster is ready or this many seconds passed [default: check once].");
        var parallelism = NumberOptions.Count("--parallelism", "n", "Free slots the run would need.", 0, 1);
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object on stdout." };

        var command = new Command("check",
            $"Check whether the cluster is ready for a run, condition by condition. Exit codes: {ExitCodes.Succeeded} ready, "
            + $"{ExitCodes.BadInput} bad input, {ExitCodes.NotReady} not ready, {ExitCodes.Cancelled} interrupted.");
        foreach (var option in cluster.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(parallelism);
        command.Options.Add(json);
        command.SetAction(async (parse, _) =>
        {
            var wait = parse.GetValue(cluster.ReadyTimeout) is not null;
            return await ExecuteAsync(options => cluster.Apply(parse, options), parse.GetValue(parallelism), wait, parse.GetValue(json), stdout, stderr)
                .ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(
        Action<SubmitterOptions> configure, int parallelism, bool wait, bool json, TextWriter stdout, TextWriter stderr)
    {
        await using var services = CliServices.BuildGate(configure);
        if (!await CliServices.PreflightAsync(services, stderr).ConfigureAwait(false))
        {
            return ExitCodes.BadInput;
        }

        var options = services.GetRequiredService<IOptions<SubmitterOptions>>().Value;
        using var signals = new TerminationSignals();
        var gate = services.GetRequiredService<IReadinessGate>();
        ReadinessReport report;
        try
        {
            report = wait
                ? await gate.WaitUntilReadyAsync(parallelism, options.ReadyTimeout, signals.Token).ConfigureAwait(false)
                : await gate.CheckAsync(parallelism, signals.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"Stopped by {signals.Signal}.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }

        if (json)
        {
            await stdout.WriteLineAsync(ApiJson.Serialize(report)).ConfigureAwait(false);
        }
        else
        {
            foreach (var condition in report.Conditions)
            {
                await stdout.WriteLineAsync(
                    $"{(condition.Ok ? "ok  " : "FAIL")} {condition.Name}: expected {condition.Expected}; saw {condition.Observed}").ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(report.IsReady ? "Ready." : "Not ready.").ConfigureAwait(false);
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return report.IsReady ? ExitCodes.Succeeded : ExitCodes.NotReady;
    }
}
