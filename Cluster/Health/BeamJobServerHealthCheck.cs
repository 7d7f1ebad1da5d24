using FlinkBeam.Cluster.Beam;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// The job server is healthy when its Job API answers a real <c>GetJobs</c> call: it has no gRPC health service, and
/// an open port alone proves nothing behind a port proxy.
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
        try
        {
            var jobs = await new BeamJobServiceClient(_channels.For(address).CreateCallInvoker())
                .GetJobsAsync(cancellationToken, deadline).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The Job API answers GetJobs at {address.Authority}; it knows {jobs.Count} job(s).");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failureStatus, $"Job API GetJobs at {address.Authority} failed with {GrpcStatusNames.Of(e.StatusCode)}: {e.Status.Detail}", e);
        }
    }

    /// <summary>Closes the channels and their connections.</summary>
    public void Dispose() => _channels.Dispose();
}
