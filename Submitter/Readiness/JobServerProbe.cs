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
        try
        {
            // The call's deadline is the timeout: past it the client answers DEADLINE_EXCEEDED, described as no answer in time.
            var jobs = await client.GetJobsAsync(cancellationToken, timeout).ConfigureAwait(false);
            return new ReadinessCondition(ConditionName, true, Expected, $"GetJobs answered ({ProbeFailure.Plural(jobs.Count, "job")})");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(ProbeFailure.Describe(e, "GetJobs", timeout));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(ProbeFailure.Describe(e, timedOut: false, timeout));
        }
    }

    public ProbeAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName, false, Expected, observed);

    private string Expected => $"Job API GetJobs answers at {endpoint}";
}
