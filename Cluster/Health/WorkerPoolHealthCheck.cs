using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Checks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// A TaskManager's Beam worker pool is healthy when it answers a StopWorker call for a worker it never started (see
/// <see cref="WorkerPoolCheck"/>). Aspire has no TCP check, and a bare connect would succeed against the port proxy
/// even with nothing listening behind it.
/// </summary>
/// <param name="workerPool">Resolves the worker pool's host-side address; called on every check because the port is allocated at start.</param>
/// <param name="timeout">The most one probe may take.</param>
public sealed class WorkerPoolHealthCheck(Func<CancellationToken, Task<Uri>> workerPool, TimeSpan timeout)
    : EndpointHealthCheck(workerPool, "worker pool"), IDisposable
{
    private readonly GrpcChannelCache _channels = new(timeout);

    /// <inheritdoc />
    protected override async Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken)
    {
        var result = await WorkerPoolCheck.RunAsync(_channels.For(address), timeout, cancellationToken).ConfigureAwait(false);
        var description = $"Worker pool at {address.Authority}: {result.Detail}.";
        return result.Ok
            ? HealthCheckResult.Healthy(description)
            : new HealthCheckResult(failureStatus, description);
    }

    /// <summary>Closes the channels and their connections.</summary>
    public void Dispose() => _channels.Dispose();
}
