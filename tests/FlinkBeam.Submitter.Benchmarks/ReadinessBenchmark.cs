using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// a) From the moment the last readiness condition becomes true on the fakes to the moment the real gate reports
/// ready: the last of two TaskManagers registers (after a short wait, and after the cluster stayed unchanged for
/// seconds), or the job server starts listening on the port the gate was told.
/// </summary>
internal static class ReadinessBenchmark
{
    private const string Unit = "ms";
    private const double Goal = 50;

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, Random random, CancellationToken ct)
    {
        var options = BenchmarkSetup.Options(cluster, "gate");
        options.TaskManagers = 2;
        var python = BenchmarkSetup.PythonCheck(options);
        var services = BenchmarkSetup.Gate(options, python);
        await using (services.ConfigureAwait(false))
        {
            var gate = services.GetRequiredService<ReadinessGate>();
            await LastTaskManagerAsync(cluster, gate, TimeSpan.FromMilliseconds(300), ct).ConfigureAwait(false);
            var soon = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                soon.Add(await LastTaskManagerAsync(cluster, gate, TimeSpan.FromMilliseconds(random.Next(100, 1500)), ct).ConfigureAwait(false));
            }

            table.Add("a) ready after last TaskManager registers (0.1-1.5 s wait)", soon, Unit, Goal);

            // Long enough for the first TaskManager to be old news, as when the second one's container starts slowly.
            var late = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                late.Add(await LastTaskManagerAsync(cluster, gate, TimeSpan.FromMilliseconds(random.Next(6000, 7000)), ct).ConfigureAwait(false));
            }

            table.Add("a) ready after last TaskManager registers (6-7 s unchanged)", late, Unit, Goal);
        }

        cluster.Flink.TaskManagers = 1;
        var listening = new List<double>();
        await JobServerStartsAsync(cluster, python, TimeSpan.FromMilliseconds(300), ct).ConfigureAwait(false);
        for (var i = 0; i < 8; i++)
        {
            listening.Add(await JobServerStartsAsync(cluster, python, TimeSpan.FromMilliseconds(random.Next(100, 1500)), ct).ConfigureAwait(false));
        }

        table.Add("a) ready after job server starts answering", listening, Unit, Goal);
    }

    private static async Task<double> LastTaskManagerAsync(LoopbackCluster cluster, ReadinessGate gate, TimeSpan after, CancellationToken ct)
    {
        cluster.Flink.TaskManagers = 1;
        return await MeasureAsync(gate, after, () =>
        {
            cluster.Flink.TaskManagers = 2;
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
    }

    private static async Task<double> JobServerStartsAsync(LoopbackCluster cluster, PythonEnvironmentCheck python, TimeSpan after, CancellationToken ct)
    {
        // The gate is told a port where nothing listens yet; the fake job server is started on it later.
        var port = FakePipelineFiles.ClosedPort();
        var options = BenchmarkSetup.Options(cluster, "gate");
        options.JobEndpoint = $"127.0.0.1:{port}";
        FakeBeamJobServer? server = null;
        await using var services = BenchmarkSetup.Gate(options, python);
        var gate = services.GetRequiredService<ReadinessGate>();
        try
        {
            return await MeasureAsync(gate, after, async () => server = await FakeBeamJobServer.StartAsync(port, ct).ConfigureAwait(false), ct)
                .ConfigureAwait(false);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts waiting, lets <paramref name="after"/> pass, makes the last condition true and times the gate's answer from then.</summary>
    private static async Task<double> MeasureAsync(ReadinessGate gate, TimeSpan after, Func<Task> makeReady, CancellationToken ct)
    {
        var waiting = gate.WaitUntilReadyAsync(1, BenchmarkSetup.Patience, ct);
        await Task.Delay(after, ct).ConfigureAwait(false);
        if (waiting.IsCompleted)
        {
            throw new BenchmarkBrokeException($"The gate answered before its last condition held: {(await waiting.ConfigureAwait(false)).Describe()}");
        }

        await makeReady().ConfigureAwait(false);
        var madeReady = Stopwatch.GetTimestamp();
        var report = await waiting.ConfigureAwait(false);
        var latency = BenchmarkSetup.Milliseconds(madeReady);
        return report.IsReady ? latency : throw new BenchmarkBrokeException($"The gate did not become ready: {report.Describe()}");
    }
}
