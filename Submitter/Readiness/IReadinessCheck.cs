namespace FlinkBeam.Submitter.Readiness;

/// <summary>One thing the gate asks the cluster; one answer may hold several conditions.</summary>
internal interface IReadinessCheck
{
    /// <summary>Asks once; the probe bounds the call with its own timeout and reports failures as failed conditions.</summary>
    Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken);

    /// <summary>The probe's conditions, failed with <paramref name="observed"/>, for when it never answered.</summary>
    CheckAnswer Unanswered(string observed);
}

/// <summary>A probe's answer: its conditions and, from Flink, the slots it reported.</summary>
internal sealed record CheckAnswer(IReadOnlyList<ReadinessCondition> Conditions, FlinkCapacity? Capacity = null)
{
    public bool Ok => Conditions.All(c => c.Ok);

    public static implicit operator CheckAnswer(ReadinessCondition condition) => new([condition]);
}

/// <summary>Flink's task slots as <c>/overview</c> reports them.</summary>
public readonly record struct FlinkCapacity(int SlotsTotal, int SlotsAvailable);
