using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// A health check of one network endpoint whose address is resolved on every check: under an orchestrator the port
/// is allocated when the resource starts, and a restarted container may get a new one.
/// </summary>
/// <param name="resolveAddress">Resolves the endpoint's address as the checking process sees it.</param>
/// <param name="endpointDescription">What the endpoint is, for the message when its address is not known yet, e.g. "Job API".</param>
public abstract class EndpointHealthCheck(Func<CancellationToken, Task<Uri>> resolveAddress, string endpointDescription) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Uri address;
        try
        {
            address = await resolveAddress(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus, $"The {endpointDescription} address is not known yet: {e.Message}", e);
        }

        return await CheckAsync(address, context.Registration.FailureStatus, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the endpoint at its resolved address.</summary>
    /// <param name="address">The endpoint's address.</param>
    /// <param name="failureStatus">The status to report when the endpoint is not healthy.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    protected abstract Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken);
}
