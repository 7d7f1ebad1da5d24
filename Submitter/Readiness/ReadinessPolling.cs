namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// How <see cref="ReadinessGate.WaitUntilReadyAsync"/> paces its checks. It polls at <see cref="Initial"/> while the
/// cluster is visibly changing (any observation changed within <see cref="FastWindow"/>), so the moment the last
/// condition holds is seen within one short interval; a cluster that stays the same for longer is polled less often,
/// up to <see cref="Max"/>. Only failing conditions are polled between confirmations, which keeps fast polling cheap.
/// </summary>
public sealed record ReadinessPolling
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan Max { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan FastWindow { get; init; } = TimeSpan.FromSeconds(5);

    public double Growth { get; init; } = 1.5;

    /// <summary>How often an unchanged wait is logged again.</summary>
    public TimeSpan ProgressLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    internal TimeSpan Next(TimeSpan current, TimeSpan sinceLastChange)
    {
        if (sinceLastChange < FastWindow)
        {
            return Initial;
        }

        var grown = TimeSpan.FromTicks((long)(Math.Max(current.Ticks, Initial.Ticks) * Growth));
        return grown > Max ? Max : grown;
    }
}
