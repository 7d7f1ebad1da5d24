using FlinkBeam.Cluster.Beam;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Health;

/// <summary>
/// The job server is healthy when its Job API answers a real <c>GetJobs</c> call: it has no gRPC health service, and
/// an open port alone proves nothing behind a port proxy.
/// </summary>
/// <param name="jobEndpoint">Resolves the Job API address as the host sees it; called on every check because the port is allocated at start.</param>
/// <param name="deadline">The gRPC deadline of one call.</param>
public sealed class BeamJobServerHealthCheck(Func<CancellationToken, Task<Uri>> jobEndpoint, TimeSpan deadline)
    : EndpointHealthCheck(jobEndpoint, "Job API")
{
    private readonly Lock _lock = new();
    private Uri? _clientAddress;
    private HttpClient? _http;

    /// <inheritdoc />
    protected override async Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken)
    {
        try
        {
            var jobs = await new BeamJobServiceClient(ClientFor(address)).GetJobsAsync(cancellationToken, deadline).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The Job API answers GetJobs at {address.Authority}; it knows {jobs.Count} job(s).");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failureStatus, $"Job API GetJobs at {address.Authority} failed: {e.Message}", e);
        }
    }

    // One HTTP/2 connection for the checks of one address; a new address (a restarted container) gets a new client.
    private HttpClient ClientFor(Uri address)
    {
        lock (_lock)
        {
            if (_http is null || _clientAddress != address)
            {
                _http?.Dispose();
                _http = BeamJobServiceClient.CreateHttpClient(address.GetLeftPart(UriPartial.Authority));
                _clientAddress = address;
            }

            return _http;
        }
    }
}
