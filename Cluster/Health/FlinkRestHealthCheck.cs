using FlinkBeam.Cluster.Flink;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// The JobManager is healthy when Flink REST <c>/overview</c> answers with valid JSON. It says nothing about the
/// TaskManagers: they wait for this check, so requiring them here would deadlock; the Submitter's gate counts them.
/// </summary>
/// <param name="restAddress">Resolves the REST base address as the host sees it; called on every check because the port is allocated at start.</param>
/// <param name="timeout">The most one check may take.</param>
public sealed class FlinkRestHealthCheck(Func<CancellationToken, Task<Uri>> restAddress, TimeSpan timeout)
    : EndpointHealthCheck(restAddress, "Flink REST")
{
    // One pooled handler for every check; a cheap HttpClient per check carries the (possibly new) base address.
    private readonly SocketsHttpHandler _handler = new() { ConnectTimeout = timeout };

    /// <inheritdoc />
    protected override async Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = address, Timeout = timeout };
        try
        {
            var overview = await new FlinkRestClient(http).GetOverviewAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(
                $"Flink {overview.FlinkVersion ?? "(version not reported)"} answers /overview at {address.Authority}: "
                + $"{overview.TaskManagers} TaskManager(s), {overview.SlotsAvailable} of {overview.SlotsTotal} slots free.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failureStatus, $"Flink REST /overview at {address.Authority} failed: {e.Message}", e);
        }
    }
}
