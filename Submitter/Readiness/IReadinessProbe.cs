namespace FlinkBeam.Submitter.Readiness;

/// <summary>One thing the gate asks the cluster; one answer may hold several conditions.</summary>
internal interface IReadinessProbe
{
    /// <summary>Asks once; the probe bounds the call with its own timeout and reports failures as failed conditions.</summary>
    Task<ProbeAnswer> CheckAsync(CancellationToken cancellationToken);

    /// <summary>The probe's conditions, failed with <paramref name="observed"/>, for when it never answered.</summary>
    ProbeAnswer Unanswered(string observed);
}

/// <summary>A probe's answer: its conditions and, from Flink, the slots it reported.</summary>
internal sealed record ProbeAnswer(IReadOnlyList<ReadinessCondition> Conditions, FlinkCapacity? Capacity = null)
{
    public bool Ok => Conditions.All(c => c.Ok);

    public static implicit operator ProbeAnswer(ReadinessCondition condition) => new([condition]);
}

/// <summary>Flink's task slots as <c>/overview</c> reports them.</summary>
public readonly record struct FlinkCapacity(int SlotsTotal, int SlotsAvailable);
