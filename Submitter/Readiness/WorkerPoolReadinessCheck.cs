using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Checks;
using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// "worker-pool host:port": the Beam SDK worker pool answers a StopWorker call for a worker it never started (see
/// <see cref="WorkerPoolCheck"/>); a bare TCP connect would succeed against Docker's port proxy with nothing behind it.
/// </summary>
internal sealed class WorkerPoolReadinessCheck(HostAndPort address, GrpcChannelCache channels, TimeSpan timeout) : IReadinessCheck
{
    public static string ConditionName(HostAndPort address) => $"worker-pool {address}";

    public async Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        CheckResult result;
        try
        {
            result = await WorkerPoolCheck.RunAsync(channels.For(address), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            result = new CheckResult(false, CheckFailure.Describe(e, timedOut: false, timeout));
        }

        return new ReadinessCondition(ConditionName(address), result.Ok, WorkerPoolCheck.Expected, result.Detail);
    }

    public CheckAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName(address), false, WorkerPoolCheck.Expected, observed);
}
