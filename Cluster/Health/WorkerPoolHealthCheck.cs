using FlinkBeam.Cluster.Probes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// A TaskManager's Beam worker pool is healthy when it completes an HTTP/2 handshake. Aspire has no TCP check, and a
/// bare connect would succeed against the port proxy even with nothing listening behind it.
/// </summary>
/// <param name="workerPool">Resolves the worker pool's host-side address; called on every check because the port is allocated at start.</param>
/// <param name="timeout">The most one probe may take.</param>
public sealed class WorkerPoolHealthCheck(Func<CancellationToken, Task<Uri>> workerPool, TimeSpan timeout)
    : EndpointHealthCheck(workerPool, "worker pool")
{
    /// <inheritdoc />
    protected override async Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken)
    {
        var result = await GrpcEndpointProbe.ProbeAsync(address.DnsSafeHost, address.Port, timeout, cancellationToken).ConfigureAwait(false);
        var description = $"Worker pool at {address.Authority}: {result.Detail}.";
        return result.Ok
            ? HealthCheckResult.Healthy(description)
            : new HealthCheckResult(failureStatus, description);
    }
}
