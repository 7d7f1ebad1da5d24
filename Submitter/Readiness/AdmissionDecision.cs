using FlinkBeam.Cluster.Checks;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>How the gate judges one waiting run against what the cluster last reported.</summary>
public enum AdmissionKind
{
    /// <summary>Every condition holds and the run's slots are free: it may launch (its slots are held for it).</summary>
    Admit,

    /// <summary>The cluster is ready but busy: the run's slots are not free yet. It waits its turn; this is not a failure.</summary>
    Queue,

    /// <summary>A condition of the cluster fails (or the run needs more slots than the cluster has at all).</summary>
    NotReady,
}

/// <summary>The judgement of one run and the report behind it (every condition, the run's slots included).</summary>
public readonly record struct Admission(AdmissionKind Kind, ReadinessReport Report);

/// <summary>
/// The gate's decision for one waiting run, as a pure function of the cluster's conditions, the slots Flink reported,
/// the run's parallelism and the slots already promised to runs admitted before it but not yet running on Flink.
/// </summary>
public static class AdmissionDecision
{
    public const string SlotsCondition = "flink-slots";

    /// <param name="conditions">The cluster's conditions (TaskManagers, job server, worker pools, Python), independent of the run.</param>
    /// <param name="capacity">The slots Flink reported; null when Flink did not answer.</param>
    /// <param name="parallelism">Slots the run needs; 0 asks only about the cluster's parts.</param>
    /// <param name="reserved">Slots promised to runs admitted earlier whose jobs do not hold them on Flink yet.</param>
    public static Admission Judge(IReadOnlyList<ReadinessCondition> conditions, FlinkCapacity? capacity, int parallelism, int reserved)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentOutOfRangeException.ThrowIfNegative(parallelism);
        ArgumentOutOfRangeException.ThrowIfNegative(reserved);

        var parts = new ReadinessReport(conditions);
        if (parallelism == 0)
        {
            return new Admission(parts.IsReady ? AdmissionKind.Admit : AdmissionKind.NotReady, parts);
        }

        var expected = $"at least {CheckFailure.Plural(parallelism, "free slot")}";
        var (kind, slots) = capacity switch
        {
            null => (AdmissionKind.NotReady, new ReadinessCondition(SlotsCondition, false, expected,
                conditions.FirstOrDefault(c => !c.Ok)?.Observed ?? "no answer from Flink")),
            { SlotsTotal: var total } when parallelism > total => (AdmissionKind.NotReady, new ReadinessCondition(SlotsCondition, false, expected,
                $"{CheckFailure.Plural(total, "slot")} in the whole cluster; add TaskManagers or slots, or lower the pipeline's parallelism")),
            { SlotsAvailable: var available, SlotsTotal: var total } when parallelism <= available - reserved => (AdmissionKind.Admit,
                new ReadinessCondition(SlotsCondition, true, expected, Free(available, total, reserved))),
            { SlotsAvailable: var available, SlotsTotal: var total } => (AdmissionKind.Queue,
                new ReadinessCondition(SlotsCondition, false, expected, Free(available, total, reserved))),
        };

        // Right after Flink's TaskManagers, where a reader looks for the rest of what Flink said.
        var report = new ReadinessReport(Insert(conditions, slots, FlinkClusterCheck.TaskManagersCondition));
        return new Admission(parts.IsReady ? kind : AdmissionKind.NotReady, report);
    }

    private static List<ReadinessCondition> Insert(IReadOnlyList<ReadinessCondition> conditions, ReadinessCondition slots, string after)
    {
        var list = conditions.ToList();
        var index = list.FindIndex(c => c.Name == after);
        list.Insert(index < 0 ? list.Count : index + 1, slots);
        return list;
    }

    private static string Free(int available, int total, int reserved) =>
        reserved > 0 ? $"{available} free of {total} slots, {reserved} of them promised to runs being launched" : $"{available} free of {total} slots";
}
