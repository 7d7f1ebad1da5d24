using FlinkBeam.Cluster.Probes;
using FlinkBeam.Cluster;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// "worker-pool host:port": the Beam SDK worker pool answers an HTTP/2 handshake. A bare TCP connect is not enough,
/// since Docker's port proxy accepts connections even when nothing listens behind it.
/// </summary>
internal sealed class WorkerPoolProbe(HostAndPort address, TimeSpan timeout) : IReadinessProbe
{
    private const string Expected = "a gRPC (HTTP/2) server accepting connections";

    public static string ConditionName(HostAndPort address) => $"worker-pool {address}";

    public async Task<ProbeAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        ProbeResult result;
        try
        {
            result = await GrpcEndpointProbe.ProbeAsync(address.SocketHost, address.Port, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            result = new ProbeResult(false, ProbeFailure.Describe(e, timedOut: false, timeout));
        }

        return new ReadinessCondition(ConditionName(address), result.Ok, Expected, result.Detail);
    }

    public ProbeAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName(address), false, Expected, observed);
}
