namespace FlinkBeam.Submitter.Readiness;

/// <summary>One readiness condition: its name, what was expected and what was seen.</summary>
public sealed record ReadinessCondition(string Name, bool Ok, string Expected, string Observed);

/// <summary>The outcome of one pass over all readiness conditions.</summary>
public sealed record ReadinessReport(IReadOnlyList<ReadinessCondition> Conditions)
{
    public bool IsReady => Conditions.Count > 0 && Conditions.All(c => c.Ok);

    /// <summary>One line per failed condition, for errors and logs.</summary>
    public string Describe() => string.Join(
        Environment.NewLine,
        Conditions.Where(c => !c.Ok).Select(c => $"{c.Name}: expected {c.Expected}, saw {c.Observed}"));
}
