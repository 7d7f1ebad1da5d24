using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Probes;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// "worker-pool host:port": the Beam SDK worker pool answers a StopWorker call for a worker it never started (see
/// <see cref="WorkerPoolCheck"/>); a bare TCP connect would succeed against Docker's port proxy with nothing behind it.
/// </summary>
internal sealed class WorkerPoolProbe(HostAndPort address, GrpcChannelCache channels, TimeSpan timeout) : IReadinessProbe
{
    public static string ConditionName(HostAndPort address) => $"worker-pool {address}";

    public async Task<ProbeAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        ProbeResult result;
        try
        {
            result = await WorkerPoolCheck.RunAsync(channels.For(address), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            result = new ProbeResult(false, ProbeFailure.Describe(e, timedOut: false, timeout));
        }

        return new ReadinessCondition(ConditionName(address), result.Ok, WorkerPoolCheck.Expected, result.Detail);
    }

    public ProbeAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName(address), false, WorkerPoolCheck.Expected, observed);
}
