using FlinkBeam.Cluster.Checks;
using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Flink <c>/overview</c>: all expected TaskManagers registered ("flink-taskmanagers"), and the slots Flink reports,
/// from which the gate judges each run's "flink-slots" condition (<see cref="AdmissionDecision"/>).
/// </summary>
internal sealed class FlinkClusterCheck(FlinkRestClient client, Uri restUrl, int expectedTaskManagers, TimeSpan timeout) : IReadinessCheck
{
    public const string TaskManagersCondition = "flink-taskmanagers";

    public async Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        FlinkOverview overview;
        try
        {
            overview = await client.GetOverviewAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered($"Flink REST {restUrl} unusable: {CheckFailure.Describe(e, timeoutSource.IsCancellationRequested, timeout)}");
        }

        return new CheckAnswer(
            [new(TaskManagersCondition, overview.TaskManagers == expectedTaskManagers, ExpectedTaskManagers,
                $"{CheckFailure.Plural(overview.TaskManagers, "TaskManager")} registered")],
            new FlinkCapacity(overview.SlotsTotal, overview.SlotsAvailable));
    }

    public CheckAnswer Unanswered(string observed) =>
        new ReadinessCondition(TaskManagersCondition, false, ExpectedTaskManagers, observed);

    private string ExpectedTaskManagers => CheckFailure.Plural(expectedTaskManagers, "TaskManager");
}
