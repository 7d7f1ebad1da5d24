using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Flink <c>/overview</c>: all expected TaskManagers registered ("flink-taskmanagers") and enough free slots for the run
/// ("flink-slots"). Both come from one answer; a parallelism of 0 asks only about the TaskManagers.
/// </summary>
internal sealed class FlinkClusterProbe(FlinkRestClient client, Uri restUrl, int expectedTaskManagers, TimeSpan timeout) : IReadinessProbe
{
    public const string TaskManagersCondition = "flink-taskmanagers";
    public const string SlotsCondition = "flink-slots";

    public async Task<IReadOnlyList<ReadinessCondition>> CheckAsync(int parallelism, CancellationToken cancellationToken)
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
            return Unanswered(parallelism, $"Flink REST {restUrl} unusable: {ProbeFailure.Describe(e, timeoutSource.IsCancellationRequested, timeout)}");
        }

        var taskManagers = new ReadinessCondition(
            TaskManagersCondition,
            overview.TaskManagers == expectedTaskManagers,
            ExpectedTaskManagers,
            $"{Plural(overview.TaskManagers, "TaskManager")} registered");
        if (parallelism <= 0)
        {
            return [taskManagers];
        }

        return
        [
            taskManagers,
            new(SlotsCondition, overview.SlotsAvailable >= parallelism, ExpectedSlots(parallelism),
                $"{overview.SlotsAvailable} free of {overview.SlotsTotal} slots"),
        ];
    }

    public IReadOnlyList<ReadinessCondition> Unanswered(int parallelism, string observed) =>
        parallelism > 0
            ? [new(TaskManagersCondition, false, ExpectedTaskManagers, observed), new(SlotsCondition, false, ExpectedSlots(parallelism), observed)]
            : [new(TaskManagersCondition, false, ExpectedTaskManagers, observed)];

    private string ExpectedTaskManagers => Plural(expectedTaskManagers, "TaskManager");

    private static string ExpectedSlots(int parallelism) => $"at least {Plural(parallelism, "free slot")}";

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
