using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Checks;
using Grpc.Core;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>"job-server": the Beam job server answers a Job API <c>GetJobs</c> call (it has no gRPC health service).</summary>
internal sealed class JobServerCheck(BeamJobServiceClient client, string endpoint, TimeSpan timeout) : IReadinessCheck
{
    public const string ConditionName = "job-server";

    public async Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The call's deadline is the timeout: past it the client answers DEADLINE_EXCEEDED, described as no answer in time.
            var jobs = await client.GetJobsAsync(cancellationToken, timeout).ConfigureAwait(false);
            return new ReadinessCondition(ConditionName, true, Expected, $"GetJobs answered ({CheckFailure.Plural(jobs.Count, "job")})");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(CheckFailure.Describe(e, "GetJobs", timeout));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(CheckFailure.Describe(e, timedOut: false, timeout));
        }
    }

    public CheckAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName, false, Expected, observed);

    private string Expected => $"Job API GetJobs answers at {endpoint}";
}
