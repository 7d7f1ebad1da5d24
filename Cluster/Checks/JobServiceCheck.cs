using FlinkBeam.Cluster.Beam;
using Grpc.Core;

namespace FlinkBeam.Cluster.Checks;

/// <summary>
/// Whether a Beam job server serves its Job API: it answers a real <c>GetJobs</c> call. It has no gRPC health service,
/// and an open port alone proves nothing behind a port proxy. The one check behind the job server's health and the
/// Submitter's readiness condition.
/// </summary>
public static class JobServiceCheck
{
    /// <summary>Calls GetJobs with <paramref name="deadline"/> as its deadline.</summary>
    /// <param name="client">The Job API client.</param>
    /// <param name="deadline">The call's deadline: past it the call counts as not answered in time.</param>
    /// <param name="cancellationToken">Cancels the check; throws <see cref="OperationCanceledException"/> then.</param>
    /// <returns>Ok with the number of jobs it knows; otherwise what was seen instead. Never throws for a failed call.</returns>
    public static async Task<CheckResult> RunAsync(BeamJobServiceClient client, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var jobs = await client.GetJobsAsync(cancellationToken, deadline).ConfigureAwait(false);
            return new CheckResult(true, $"GetJobs answered ({CheckFailure.Plural(jobs.Count, "job")})");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new CheckResult(false, CheckFailure.Describe(e, "GetJobs", deadline));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            return new CheckResult(false, CheckFailure.Describe(e, timedOut: false, deadline));
        }
    }
}
