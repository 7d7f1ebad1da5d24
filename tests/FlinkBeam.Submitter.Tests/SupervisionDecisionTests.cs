using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Supervision;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// Every case of following a run (DESIGN.md decision 5) and of taking one over after a restart, as a table of
/// (run, observation) → verdict over plain values: no processes, no clock, no cluster.
/// </summary>
public sealed class SupervisionDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SupervisionPolicy Policy = new(
        Grace: TimeSpan.FromSeconds(30), JobTimeout: TimeSpan.FromMinutes(5), Retries: 2, Timings: new SupervisionTimings { ExitSettle = TimeSpan.FromSeconds(2) });

    private const string JobId = "0123456789abcdef0123456789abcdef";

    /// <summary>One row: the run as recorded, what is seen at T0 + <c>At</c>, and the verdict expected.</summary>
    public sealed record Case(
        string Name,
        RunRecord Run,
        ClientObservation Client,
        FlinkObservation Flink,
        TimeSpan At,
        Verdict Expected,
        bool CancelRequested = false)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new(
        // The job ended: Flink's state is the outcome; the client gets its grace first.
        new Case("FINISHED, client exited 0 -> Succeeded",
            Run(RunState.Running, FlinkJobStates.Finished), Exited(0), Answer(terminalSince: 1), Seconds(2),
            Conclude(RunState.Succeeded)),
        new Case("FINISHED, client exited 1 -> Succeeded with a warning",
            Run(RunState.Running, FlinkJobStates.Finished), Exited(1), Answer(terminalSince: 1), Seconds(2),
            Conclude(RunState.Succeeded, warnings: ["The client exited with code 1 although its job FINISHED; the run counts as succeeded."])),
        new Case("FINISHED, client still running within the grace -> wait until the grace ends",
            Run(RunState.Running, FlinkJobStates.Finished), Running(), Answer(terminalSince: 10), Seconds(20),
            new Verdict.KeepWaiting(T0 + Seconds(40))),
        new Case("FINISHED, client still running after the grace -> end the client",
            Run(RunState.Running, FlinkJobStates.Finished), Running(), Answer(terminalSince: 10), Seconds(40),
            new Verdict.EndClient("The client was still running 30 s after its job reached FINISHED; it and its child processes were ended.")),
        new Case("FINISHED, client ended by the Submitter after the grace -> Succeeded, no exit-code warning",
            Run(RunState.Running, FlinkJobStates.Finished), Exited(137, endedBySubmitter: true), Answer(terminalSince: 10), Seconds(41),
            Conclude(RunState.Succeeded)),
        new Case("FAILED, client exited -> Failed with Flink's root exception",
            Run(RunState.Running, FlinkJobStates.Failed), Exited(1), Answer(terminalSince: 1), Seconds(2),
            Conclude(RunState.Failed, RunFailureReason.JobFailed, $"Flink job {JobId} FAILED:", addRootCause: true)),
        new Case("CANCELED outside this Submitter -> Cancelled, named as external",
            Run(RunState.Running, FlinkJobStates.Canceled), Exited(1), Answer(terminalSince: 1), Seconds(2),
            Conclude(RunState.Cancelled, RunFailureReason.JobCancelledExternally, $"Flink job {JobId} was cancelled outside this Submitter.")),
        new Case("SUSPENDED -> Failed",
            Run(RunState.Running, FlinkJobStates.Suspended), Exited(0), Answer(terminalSince: 1), Seconds(2),
            Conclude(RunState.Failed, RunFailureReason.JobFailed, $"Flink job {JobId} ended SUSPENDED.")),

        // No job yet.
        new Case("no job, client running within the job timeout -> wait until the timeout",
            Run(RunState.Launching), Running(), Answer(), Seconds(60),
            new Verdict.KeepWaiting(T0 + Policy.JobTimeout)),
        new Case("no job, client running past the job timeout -> TimedOut, client ended, cancellation attempted",
            Run(RunState.Launching), Running(), Answer(), Policy.JobTimeout,
            Conclude(RunState.TimedOut, RunFailureReason.JobTimeout,
                "No Flink job named run-aaaabbbb appeared within 5 min; the client and its child processes were ended and the job's cancellation was attempted.",
                endClient: true, cancelJob: true)),
        new Case("no job, client exited moments ago -> wait for the settle time",
            Run(RunState.Launching), Exited(1, goneAt: 10), Answer(at: 10.5), Seconds(11),
            new Verdict.KeepWaiting(T0 + Seconds(12))),
        new Case("no job, client exited, no answer of Flink since the settle -> wait for one",
            Run(RunState.Launching), Exited(1, goneAt: 10), Answer(at: 11), Seconds(13),
            new Verdict.KeepWaiting()),
        new Case("no job, transient failure, retries left -> retry",
            Run(RunState.Launching, attempts: 1), Exited(1, goneAt: 10, transient: "gRPC StatusCode.UNAVAILABLE"), Answer(at: 12.5), Seconds(13),
            new Verdict.Retry("gRPC StatusCode.UNAVAILABLE")),
        new Case("no job, transient failure, all retries used -> Failed, naming the signature",
            Run(RunState.Launching, attempts: 3), Exited(1, goneAt: 10, transient: "gRPC StatusCode.UNAVAILABLE", lastLine: "UNAVAILABLE"), Answer(at: 12.5), Seconds(13),
            Conclude(RunState.Failed, RunFailureReason.ClientFailed,
                "The client exited with code 1 before any Flink job named run-aaaabbbb appeared: UNAVAILABLE The failure looked transient (gRPC StatusCode.UNAVAILABLE), but all 2 retries were used.")),
        new Case("no job, non-transient failure -> Failed, not retried",
            Run(RunState.Launching, attempts: 1), Exited(2, goneAt: 10, lastLine: "SyntaxError: invalid syntax"), Answer(at: 12.5), Seconds(13),
            Conclude(RunState.Failed, RunFailureReason.ClientFailed,
                "The client exited with code 2 before any Flink job named run-aaaabbbb appeared: SyntaxError: invalid syntax")),
        new Case("no job, client exited 0 -> Failed: a client must create its job",
            Run(RunState.Launching, attempts: 1), Exited(0, goneAt: 10), Answer(at: 12.5), Seconds(13),
            Conclude(RunState.Failed, RunFailureReason.ClientFailed, "The client exited with code 0 but no Flink job named run-aaaabbbb appeared.")),
        new Case("no job, client exited, Flink silent for the job timeout -> Failed, never retried blind",
            Run(RunState.Launching, attempts: 1), Exited(1, goneAt: 10, transient: "connection refused"), Silent(lastAnswer: 5, error: "connection refused"), Seconds(10) + Policy.JobTimeout,
            Conclude(RunState.Failed, RunFailureReason.FlinkUnreachable,
                "The client exited with code 1 and Flink did not answer for 5 min after that, so whether it created a job is unknown; it was not retried. Flink's job list could not be read: connection refused")),

        // The job exists and runs.
        new Case("job running, Flink answering -> wait",
            Run(RunState.Running, FlinkJobStates.Running), Running(), Answer(at: 30), Seconds(31),
            new Verdict.KeepWaiting(T0 + Seconds(30) + Policy.JobTimeout)),
        new Case("job running, client exited early -> wait: the job decides",
            Run(RunState.Running, FlinkJobStates.Running), Exited(1, goneAt: 5), Answer(at: 30), Seconds(31),
            new Verdict.KeepWaiting(T0 + Seconds(30) + Policy.JobTimeout)),
        new Case("job running, Flink silent for the job timeout -> TimedOut, cancellation attempted",
            Run(RunState.Running, FlinkJobStates.Running), Running(), Silent(lastAnswer: 30, error: "503 Service Unavailable"), Seconds(30) + Policy.JobTimeout,
            Conclude(RunState.TimedOut, RunFailureReason.FlinkUnreachable,
                $"Flink did not answer for 5 min while job {JobId} was RUNNING; the client was ended and the job's cancellation was attempted. Flink's job list could not be read: 503 Service Unavailable",
                endClient: true, cancelJob: true)),
        new Case("job no longer listed for the job timeout -> Failed",
            Run(RunState.Running, FlinkJobStates.Running), Running(), Answer(at: 400, missingSince: 90), Seconds(90) + Policy.JobTimeout,
            Conclude(RunState.Failed, RunFailureReason.FlinkUnreachable, $"Flink job {JobId} (run-aaaabbbb) disappeared from Flink's job list while RUNNING.", endClient: true)),

        // Cancel requested, whatever else is seen.
        new Case("cancel requested -> Cancelled: job cancelled, client ended",
            Run(RunState.Running, FlinkJobStates.Running), Running(), Answer(at: 1), Seconds(2),
            Conclude(RunState.Cancelled, endClient: true, cancelJob: true), CancelRequested: true),

        // Taken over after a restart.
        new Case("taken over while Launching, client left running, no job yet -> wait up to the job timeout",
            Run(RunState.Launching), Orphan(running: true), Answer(at: 1), Seconds(2),
            new Verdict.KeepWaiting(T0 + Policy.JobTimeout)),
        new Case("taken over while Launching, client left running, job found -> end the orphan, follow the job",
            Run(RunState.Submitted, FlinkJobStates.Running), Orphan(running: true), Answer(at: 1), Seconds(2),
            new Verdict.EndClient($"The client started before the Submitter restarted (process 4242) cannot be followed; it was ended, and the run follows its Flink job {JobId}.")),
        new Case("taken over while Launching, client left running, no job within the job timeout -> Failed, orphan ended",
            Run(RunState.Launching), Orphan(running: true), Answer(at: 299), Policy.JobTimeout,
            Conclude(RunState.Failed, RunFailureReason.SubmitterRestarted,
                "Submitter restarted while the run was launching; no Flink job named run-aaaabbbb appeared within 5 min after that, so the client it had started (process 4242) was ended and the job's cancellation was attempted.",
                endClient: true, cancelJob: true)),
        new Case("taken over while Launching, client gone, no job after the settle -> Failed",
            Run(RunState.Launching), Orphan(running: false, goneAt: 0), Answer(at: 2.5), Seconds(3),
            Conclude(RunState.Failed, RunFailureReason.SubmitterRestarted,
                "Submitter restarted while the run was launching; the client it had started (process 4242) has ended and no Flink job named run-aaaabbbb was found.")),
        new Case("taken over while Launching, client gone, job found RUNNING -> wait: never failed while its job runs",
            Run(RunState.Submitted, FlinkJobStates.Running), Orphan(running: false, goneAt: 0), Answer(at: 2.5), Seconds(3),
            new Verdict.KeepWaiting(T0 + Seconds(2.5) + Policy.JobTimeout)),
        new Case("taken over, job FINISHED meanwhile, orphan still running -> grace, then end it",
            Run(RunState.Running, FlinkJobStates.Finished), Orphan(running: true), Answer(at: 1, terminalSince: 0), Seconds(31),
            new Verdict.EndClient("The client started before the Submitter restarted (process 4242) was still running 30 s after its job reached FINISHED; it and its child processes were ended.")),
        new Case("taken over, no client recorded, no job yet -> wait up to the job timeout",
            Run(RunState.Launching), ClientObservation.Unknown, Answer(at: 1), Seconds(2),
            new Verdict.KeepWaiting(T0 + Policy.JobTimeout)),
        new Case("taken over, no client recorded, no job within the job timeout -> Failed",
            Run(RunState.Launching), ClientObservation.Unknown, Answer(at: 299), Policy.JobTimeout,
            Conclude(RunState.Failed, RunFailureReason.SubmitterRestarted,
                "Submitter restarted while the run was Launching; no Flink job named run-aaaabbbb appeared within 5 min after that.", cancelJob: true)));

    [Theory]
    [InlineData(RunState.Pending, true)]
    [InlineData(RunState.WaitingForCluster, true)]
    [InlineData(RunState.Launching, false)]
    [InlineData(RunState.Submitted, false)]
    [InlineData(RunState.Running, false)]
    public void A_run_taken_over_before_its_launch_is_launched_and_one_taken_over_later_is_only_followed(RunState state, bool resumes)
    {
        Assert.Equal(resumes, SupervisionDecision.ResumesOnTakeOver(state));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_observation_has_one_verdict(Case row)
    {
        var observation = new RunObservation(T0 + row.At, T0, row.Client, row.Flink, row.CancelRequested);

        var verdict = SupervisionDecision.Decide(row.Run, observation, Policy);

        Assert.Equal(Describe(row.Expected), Describe(verdict));
    }

    [Fact]
    public void A_job_first_seen_running_is_Submitted_then_Running_and_an_unchanged_job_changes_nothing()
    {
        var job = new FlinkJobSummary(JobId, "run-aaaabbbb", FlinkJobStates.Running, 1, -1, 0, 1);
        var launching = Run(RunState.Launching) with { FlinkJobId = null, FlinkState = null };

        var submitted = SupervisionDecision.Progress(launching, job, T0)!;
        var running = SupervisionDecision.Progress(submitted, job, T0 + Seconds(1))!;

        Assert.Equal((RunState.Submitted, JobId, FlinkJobStates.Running, T0), (submitted.State, submitted.FlinkJobId, submitted.FlinkState, submitted.SubmittedAt));
        Assert.Equal((RunState.Running, T0), (running.State, running.SubmittedAt));
        Assert.Null(SupervisionDecision.Progress(running, job, T0 + Seconds(2)));
        Assert.Equal(FlinkJobStates.Finished, SupervisionDecision.Progress(running, job with { State = FlinkJobStates.Finished }, T0)!.FlinkState);
    }

    [Theory]
    [InlineData(5_000, 4_000, 10_000, 5_000)]    // Flink's end time, inside the last poll interval
    [InlineData(1_000, 4_000, 10_000, 4_000)]    // before the previous answer (clocks differ): the previous answer
    [InlineData(20_000, 4_000, 10_000, 10_000)]  // in the future: now
    [InlineData(-1, 4_000, 10_000, 10_000)]      // no end time reported: now
    public void Grace_counts_from_the_end_time_Flink_reports_kept_within_the_last_poll_interval(long endMs, long notBeforeMs, long nowMs, long expectedMs)
    {
        var epoch = DateTimeOffset.FromUnixTimeMilliseconds(0);
        var since = SupervisionDecision.TerminalSince(endMs, epoch.AddMilliseconds(notBeforeMs), epoch.AddMilliseconds(nowMs));

        Assert.Equal(epoch.AddMilliseconds(expectedMs), since);
    }

    private static RunRecord Run(RunState state, string? flinkState = null, int attempts = 1) => new()
    {
        Id = "aaaabbbbccccdddd",
        Pipeline = "run",
        JobName = "run-aaaabbbb",
        State = state,
        CreatedAt = T0,
        Attempts = attempts,
        FlinkJobId = flinkState is null ? null : JobId,
        FlinkState = flinkState,
    };

    private static ClientObservation Running() => new(ClientStatus.Running, 4242);

    private static ClientObservation Exited(int code, double goneAt = 1, string? transient = null, string? lastLine = null, bool endedBySubmitter = false) =>
        new(ClientStatus.Exited, 4242, code, T0 + Seconds(goneAt), transient, lastLine, endedBySubmitter);

    private static ClientObservation Orphan(bool running, double goneAt = 0) =>
        running ? new(ClientStatus.OrphanRunning, 4242) : new(ClientStatus.OrphanGone, 4242, GoneAt: T0 + Seconds(goneAt));

    private static FlinkObservation Answer(double at = 0, double? terminalSince = null, double? missingSince = null) =>
        new(true, T0 + Seconds(at), null, missingSince is { } m ? T0 + Seconds(m) : null, terminalSince is { } t ? T0 + Seconds(t) : null);

    private static FlinkObservation Silent(double lastAnswer, string error) => new(false, T0 + Seconds(lastAnswer), Error: error);

    private static Verdict Conclude(
        RunState state, RunFailureReason? reason = null, string? error = null, string[]? warnings = null,
        bool endClient = false, bool cancelJob = false, bool addRootCause = false) =>
        new Verdict.Conclude(new RunOutcome(state, reason, error, warnings, endClient, cancelJob, addRootCause));

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    // Records compare lists by reference; the text of a verdict compares them by content.
    private static string Describe(Verdict verdict) => verdict switch
    {
        Verdict.Conclude { Outcome: var o } =>
            $"Conclude {o.State} {o.Reason} [{o.Error}] warnings=[{string.Join(" | ", o.Warnings ?? [])}] endClient={o.EndClient} cancelJob={o.CancelJob} rootCause={o.AddRootCause}",
        _ => verdict.ToString(),
    };
}
