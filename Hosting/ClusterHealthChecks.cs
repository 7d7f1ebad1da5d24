using FlinkBeam.Cluster.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting;

/// <summary>
/// The one place each of Cluster's health checks is constructed, for containers this library runs and for external
/// services alike: every check resolves its address on each run, because a port is allocated when a resource starts.
/// </summary>
internal static class ClusterHealthChecks
{
    private static readonly TimeSpan FlinkRestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan JobApiDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WorkerPoolProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Healthy when Flink REST <c>/overview</c> answers with Flink's JSON.</summary>
    public static IHealthCheck FlinkRest(Func<CancellationToken, Task<Uri>> address) =>
        new FlinkRestHealthCheck(address, FlinkRestTimeout);

    /// <summary>Healthy when the Job API answers a real <c>GetJobs</c> call.</summary>
    public static IHealthCheck JobApi(Func<CancellationToken, Task<Uri>> address) =>
        new BeamJobServerHealthCheck(address, JobApiDeadline);

    /// <summary>Healthy when the worker pool answers StopWorker for a worker it never started.</summary>
    public static IHealthCheck WorkerPool(Func<CancellationToken, Task<Uri>> address) =>
        new WorkerPoolHealthCheck(address, WorkerPoolProbeTimeout);
}
