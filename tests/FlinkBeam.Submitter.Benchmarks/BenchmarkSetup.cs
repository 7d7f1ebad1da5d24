using System.Diagnostics;
using System.Globalization;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// The real Submitter parts over a <see cref="LoopbackCluster"/>: options pointing at the fakes, the real readiness
/// gate (real probes, real Python check) and the real run manager with its default supervision timings.
/// </summary>
internal static class BenchmarkSetup
{
    public const string Succeed = "succeed";
    public const string Fail = "fail";
    public const string FailAfterFinished = "fail-after-finished";
    public const string HangAfterDone = "hang-after-done";
    public const string Forever = "forever";

    /// <summary>How long every wait of the benchmark may take before it counts as broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static void WriteCatalog(LoopbackCluster cluster) => cluster.WriteCatalog(
        (Succeed, "succeed.py", 1, []),
        (Fail, "fail.py", 1, []),
        (FailAfterFinished, "fail_after_finished.py", 1, []),
        (HangAfterDone, "hang_after_done.py", 1, ["--pids", Path.Combine(cluster.PidDirectory, "{runId}.pid")]),
        (Forever, "long_running.py", 1, []));

    /// <summary>Service-mode defaults, pointed at the fakes, with their own history folder.</summary>
    public static SubmitterOptions Options(LoopbackCluster cluster, string name) => new()
    {
        CatalogPath = cluster.Catalog,
        DataDirectory = Path.Combine(cluster.Root, "data-" + name),
        PythonPath = cluster.Python,
        PythonVersion = FakePipelineFiles.RealPythonMinor,
        FlinkRestUrl = cluster.Flink.RestUrl.ToString(),
        JobEndpoint = cluster.JobServer.HostAndPort,
        WorkerPools = [cluster.WorkerPool.HostAndPort],
        TaskManagers = 1,
        ReadyTimeout = Patience,
        JobTimeout = Patience,
    };

    public static PythonEnvironmentCheck PythonCheck(SubmitterOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), NullLogger<PythonEnvironmentCheck>.Instance);

    /// <summary>
    /// The real gate built the Submitter's way (<c>AddReadinessGate</c>) with the default polling, in a container the caller
    /// disposes; <paramref name="python"/> lets gates share one (cached) Python check.
    /// </summary>
    public static ServiceProvider Gate(SubmitterOptions options, PythonEnvironmentCheck python)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(python);
        services.AddExplicitServiceEndpoints().AddReadinessGate();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The real engine (gate, manager, history) built the Submitter's one way, over <paramref name="options"/>, with what
    /// <paramref name="configure"/> adds; the real gate is wrapped in a <see cref="TimedGate"/> that records each run's admission.
    /// </summary>
    public static ServiceProvider Engine(SubmitterOptions options, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddExplicitServiceEndpoints();
        services.AddSingleton(sp => new TimedGate(sp.GetRequiredService<ReadinessGate>()));
        services.AddSingleton<IReadinessGate>(sp => sp.GetRequiredService<TimedGate>());
        services.AddSubmitterEngine(SubmitterInstance.RunRole);
        return services.BuildServiceProvider();
    }

    /// <summary>The arguments that script the fake job: RUNNING for <paramref name="jobTime"/>, then the client's final state.</summary>
    public static RunRequest Request(string pipeline, TimeSpan jobTime) =>
        new(pipeline, ["--run_ms", ((int)jobTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]);

    public static async Task<RunRecord> RunToEndAsync(RunManager manager, RunRequest request, CancellationToken ct)
    {
        var started = await manager.StartAsync(request, ct).ConfigureAwait(false);
        return await WaitAsync(manager, started, ct).ConfigureAwait(false);
    }

    public static async Task<RunRecord> WaitAsync(RunManager manager, RunRecord run, CancellationToken ct)
    {
        try
        {
            return await manager.WaitAsync(run.Id, ct).WaitAsync(Patience, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new BenchmarkBrokeException($"Run {run.Id} of {run.Pipeline} did not end within {Patience.TotalSeconds} s.");
        }
    }

    /// <summary>The run's Flink job on the fake, as it is now.</summary>
    public static FakeFlinkJob Job(LoopbackCluster cluster, RunRecord run) =>
        (run.FlinkJobId is { } id ? cluster.Flink.FindJob(id) : null)
        ?? throw new BenchmarkBrokeException($"Run {run.Id} of {run.Pipeline} ended {run.State} without a Flink job: {run.Error}");

    /// <summary>From the fake job's scripted terminal state to the run's terminal record, in milliseconds.</summary>
    public static double TerminalLatency(RunRecord run, FakeFlinkJob job) =>
        job.EndTime < 0
            ? throw new BenchmarkBrokeException($"The Flink job of run {run.Id} is {job.State}, not terminal.")
            : (run.FinishedAt!.Value - DateTimeOffset.FromUnixTimeMilliseconds(job.EndTime)).TotalMilliseconds;

    public static void Expect(RunRecord run, RunState state)
    {
        if (run.State != state)
        {
            throw new BenchmarkBrokeException($"Run {run.Id} of {run.Pipeline} ended {run.State}, expected {state}: {run.Error}");
        }
    }

    public static double Milliseconds(long fromTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp).TotalMilliseconds;

    public static string Describe(TimeSpan span) => SupervisionDecision.Describe(span);
}
