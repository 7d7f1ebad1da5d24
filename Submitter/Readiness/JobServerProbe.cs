using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Probes;
using Grpc.Core;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>"job-server": the Beam job server answers a Job API <c>GetJobs</c> call (it has no gRPC health service).</summary>
internal sealed class JobServerProbe(BeamJobServiceClient client, string endpoint, TimeSpan timeout) : IReadinessProbe
{
    public const string ConditionName = "job-server";

    public async Task<ProbeAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            var jobs = await client.GetJobsAsync(timeoutSource.Token, timeout).ConfigureAwait(false);
            return new ReadinessCondition(ConditionName, true, Expected, $"GetJobs answered ({(jobs.Count == 1 ? "1 job" : $"{jobs.Count} jobs")})");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && !timeoutSource.IsCancellationRequested)
        {
            return Unanswered(ProbeFailure.Describe(e, "GetJobs", timeout));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(ProbeFailure.Describe(e, timeoutSource.IsCancellationRequested, timeout));
        }
    }

    public ProbeAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName, false, Expected, observed);

    private string Expected => $"Job API GetJobs answers at {endpoint}";
}
