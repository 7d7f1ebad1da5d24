using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Checks;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>"job-server": the Beam job server answers a Job API <c>GetJobs</c> call (see <see cref="JobServiceCheck"/>).</summary>
internal sealed class JobServerCheck(BeamJobServiceClient client, string endpoint, TimeSpan timeout) : IReadinessCheck
{
    public const string ConditionName = "job-server";

    public async Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        var result = await JobServiceCheck.RunAsync(client, timeout, cancellationToken).ConfigureAwait(false);
        return new ReadinessCondition(ConditionName, result.Ok, Expected, result.Detail);
    }

    public CheckAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName, false, Expected, observed);

    private string Expected => $"Job API GetJobs answers at {endpoint}";
}
