using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Checks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// The job server is healthy when its Job API answers a real <c>GetJobs</c> call (see <see cref="JobServiceCheck"/>).
/// </summary>
/// <param name="jobEndpoint">Resolves the Job API address as the host sees it; called on every check because the port is allocated at start.</param>
/// <param name="deadline">The gRPC deadline of one call.</param>
public sealed class BeamJobServerHealthCheck(Func<CancellationToken, Task<Uri>> jobEndpoint, TimeSpan deadline)
    : EndpointHealthCheck(jobEndpoint, "Job API"), IDisposable
{
    private readonly GrpcChannelCache _channels = new(deadline);

    /// <inheritdoc />
    protected override async Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken)
    {
        var client = new BeamJobServiceClient(_channels.For(address).CreateCallInvoker());
        var result = await JobServiceCheck.RunAsync(client, deadline, cancellationToken).ConfigureAwait(false);
        var description = $"Job API at {address.Authority}: {result.Detail}.";
        return result.Ok
            ? HealthCheckResult.Healthy(description)
            : new HealthCheckResult(failureStatus, description);
    }

    /// <summary>Closes the channels and their connections.</summary>
    public void Dispose() => _channels.Dispose();
}
