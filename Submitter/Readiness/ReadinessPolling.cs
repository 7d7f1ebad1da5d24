namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// How <see cref="ReadinessGate.WaitUntilReadyAsync"/> paces its checks. It polls at <see cref="Initial"/> while the
/// cluster is coming up (any observation changed within <see cref="FastWindow"/>, or the wait began within it), so
/// the moment the last condition holds is seen within one short interval; a cluster that stays the same for longer
/// is polled less often, up to <see cref="Max"/>. Only failing conditions are polled between confirmations, which
/// keeps fast polling cheap: one Flink <c>/overview</c> request or one connection attempt per interval.
/// </summary>
/// <remarks>
/// The window is a minute because the parts of a cluster come up seconds to tens of seconds apart (TaskManagers
/// register, the job server starts its JVM) with nothing changing in between, and those are the moments to catch.
/// </remarks>
public sealed record ReadinessPolling
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan Max { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan FastWindow { get; init; } = TimeSpan.FromMinutes(1);

    public double Growth { get; init; } = 1.5;

    /// <summary>
    /// The longest a round of probes waits, once callers need fresh answers, for others still arriving with them (it starts
    /// as soon as arrivals pause): a burst of runs requested at once is served by one round, not one round after another.
    /// </summary>
    public TimeSpan Gather { get; init; } = TimeSpan.FromMilliseconds(2);

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
