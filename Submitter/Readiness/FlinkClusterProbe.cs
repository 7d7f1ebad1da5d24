using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Probes;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Flink <c>/overview</c>: all expected TaskManagers registered ("flink-taskmanagers"), and the slots Flink reports,
/// from which the gate judges each run's "flink-slots" condition (<see cref="AdmissionDecision"/>).
/// </summary>
internal sealed class FlinkClusterProbe(FlinkRestClient client, Uri restUrl, int expectedTaskManagers, TimeSpan timeout) : IReadinessProbe
{
    public const string TaskManagersCondition = "flink-taskmanagers";

    public async Task<ProbeAnswer> CheckAsync(CancellationToken cancellationToken)
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
            return Unanswered($"Flink REST {restUrl} unusable: {ProbeFailure.Describe(e, timeoutSource.IsCancellationRequested, timeout)}");
        }

        return new ProbeAnswer(
            [new(TaskManagersCondition, overview.TaskManagers == expectedTaskManagers, ExpectedTaskManagers,
                $"{ProbeFailure.Plural(overview.TaskManagers, "TaskManager")} registered")],
            new FlinkCapacity(overview.SlotsTotal, overview.SlotsAvailable));
    }

    public ProbeAnswer Unanswered(string observed) =>
        new ReadinessCondition(TaskManagersCondition, false, ExpectedTaskManagers, observed);

    private string ExpectedTaskManagers => ProbeFailure.Plural(expectedTaskManagers, "TaskManager");
}
