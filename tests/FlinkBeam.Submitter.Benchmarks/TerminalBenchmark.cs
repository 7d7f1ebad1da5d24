using FlinkBeam.Submitter.Runs;
using FlinkBeam.Testing;
using FlinkBeam.Submitter.Records;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// b) From the fake Flink job reaching FINISHED (its scripted moment) to the run's record reaching Succeeded, one run
/// at a time: a client that exits by itself, and a client that hangs after its job is done (ended after the grace).
/// </summary>
internal static class TerminalBenchmark
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private const double Goal = 100;

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, Random random, CancellationToken ct)
    {
        var options = BenchmarkSetup.Options(cluster, "terminal");
        options.Grace = Grace;
        var engine = BenchmarkSetup.Engine(options);
        await using (engine.ConfigureAwait(false))
        {
            var manager = engine.GetRequiredService<RunManager>();
            await SucceedAsync(cluster, manager, TimeSpan.FromMilliseconds(300), ct).ConfigureAwait(false);
            var exits = new List<double>();
            for (var i = 0; i < 12; i++)
            {
                exits.Add(await SucceedAsync(cluster, manager, TimeSpan.FromMilliseconds(random.Next(300, 1200)), ct).ConfigureAwait(false));
            }

            table.Add("b) FINISHED -> Succeeded, client exits by itself", exits, "ms", Goal);

            var hangs = new List<double>();
            for (var i = 0; i < 6; i++)
            {
                hangs.Add(await HangAsync(cluster, manager, TimeSpan.FromMilliseconds(random.Next(300, 800)), ct).ConfigureAwait(false));
            }

            var grace = BenchmarkSetup.Describe(Grace);
            table.Add($"b) FINISHED -> Succeeded, client hangs (grace {grace})", hangs, "ms", Grace.TotalMilliseconds + Goal,
                $"≤ {grace} + 100 ms");
        }
    }

    private static async Task<double> SucceedAsync(LoopbackCluster cluster, RunManager manager, TimeSpan jobTime, CancellationToken ct)
    {
        var run = await BenchmarkSetup.RunToEndAsync(manager, BenchmarkSetup.Request(BenchmarkSetup.Succeed, jobTime), ct).ConfigureAwait(false);
        BenchmarkSetup.Expect(run, RunState.Succeeded);
        return BenchmarkSetup.TerminalLatency(run, BenchmarkSetup.Job(cluster, run));
    }

    private static async Task<double> HangAsync(LoopbackCluster cluster, RunManager manager, TimeSpan jobTime, CancellationToken ct)
    {
        var run = await BenchmarkSetup.RunToEndAsync(manager, BenchmarkSetup.Request(BenchmarkSetup.HangAfterDone, jobTime), ct).ConfigureAwait(false);
        BenchmarkSetup.Expect(run, RunState.Succeeded);
        var latency = BenchmarkSetup.TerminalLatency(run, BenchmarkSetup.Job(cluster, run));
        await ExpectEndedAsync(Path.Combine(cluster.PidDirectory, $"{run.Id}.pid"), ct).ConfigureAwait(false);
        return latency;
    }

    /// <summary>The hung client and the child it left must both be gone once the run ended.</summary>
    private static async Task ExpectEndedAsync(string pidFile, CancellationToken ct)
    {
        var pids = (await File.ReadAllTextAsync(pidFile, ct).ConfigureAwait(false))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse)
            .ToList();
        for (var waited = 0; pids.Any(SubmitterProcess.IsAlive); waited += 50)
        {
            if (waited >= 5000)
            {
                throw new BenchmarkBrokeException($"Processes {string.Join(", ", pids.Where(SubmitterProcess.IsAlive))} of a hung client are still alive.");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }
}
