namespace FlinkBeam.Submitter.Supervision;

/// <summary>
/// Internal timings of supervision that are not user settings (those are in <c>SubmitterOptions</c>).
/// Tests and the benchmark shorten them.
/// </summary>
public sealed record SupervisionTimings
{
    /// <summary>Poll interval right after Flink's job list changed; terminal states are seen this fast.</summary>
    public TimeSpan PollMin { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Poll interval reached by doubling while nothing changes; bounds terminal-state detection.</summary>
    public TimeSpan PollMax { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Poll interval ceiling while Flink does not answer.</summary>
    public TimeSpan PollErrorMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a client that exited without a job seen is given for the job to show up anyway (a detached submit,
    /// or a job that ended between two polls) before the exit is judged.
    /// </summary>
    public TimeSpan ExitSettle { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After a cancel request, how long Flink is watched for the job to reach a terminal state.</summary>
    public TimeSpan CancelSettle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an ended client is awaited before supervision moves on.</summary>
    public TimeSpan KillWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of Beam Job API calls (job id lookup, cancel).</summary>
    public TimeSpan JobApiDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);
}
