using System.Globalization;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Supervision;

/// <summary>
/// What an observation means for a run: the project's rules for following a run to its end (DESIGN.md decision 5),
/// as pure functions of the run's record, an observation and the policy. Flink, not the client process, decides the
/// outcome: a client still alive after its job ended is ended after the grace period; a client that fails after its
/// job FINISHED is a success with a warning; a client that fails before any job exists with a known transient error is
/// retried; a FINISHED job is never run again; a run found after a restart is never failed while its job runs.
/// Carrying the verdict out (ending processes, cancelling jobs, writing the history) is someone else's job.
/// </summary>
public static class SupervisionDecision
{
    /// <summary>Decides what to do next. <paramref name="run"/> is the record with the latest job progress applied (<see cref="Progress"/>).</summary>
    public static Verdict Decide(RunRecord run, RunObservation observation, SupervisionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(policy);

        if (observation.CancelRequested)
        {
            return new Verdict.Conclude(new RunOutcome(RunState.Cancelled, EndClient: true, CancelJob: true));
        }

        if (run.FlinkState is { } state && FlinkJobStates.IsTerminal(state))
        {
            return JobEnded(run, observation, policy, state);
        }

        return run.FlinkJobId is null
            ? NoJobYet(run, observation, policy)
            : JobUnderway(run, observation, policy);
    }

    /// <summary>
    /// The record after the job was seen in Flink's answer: Submitted with its id the first time, Running once Flink runs
    /// it (from the next look on), the latest Flink state always. Null when the record already says all of that.
    /// </summary>
    public static RunRecord? Progress(RunRecord run, FlinkJobSummary job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);

        // Seen for the first time: Submitted, whatever Flink says; a later look moves it on to Running.
        var state = run.FlinkJobId is not null && (run.State == RunState.Running || job.State == FlinkJobStates.Running)
            ? RunState.Running
            : RunState.Submitted;
        if (run.FlinkJobId == job.Id && run.FlinkState == job.State && run.State == state)
        {
            return null;
        }

        return run with
        {
            State = state,
            FlinkJobId = job.Id,
            FlinkState = job.State,
            SubmittedAt = run.SubmittedAt ?? now,
        };
    }

    /// <summary>
    /// What a Submitter does with an active run it takes over from one that is gone: a run recorded before its launch
    /// (Pending, WaitingForCluster) never had a client, so nothing of it can be on Flink, and it is launched, once, by
    /// the new owner (true); a run recorded as launching or later is followed by its job's name and never launched again.
    /// </summary>
    public static bool ResumesOnTakeOver(RunState state) => state is RunState.Pending or RunState.WaitingForCluster;

    /// <summary>
    /// When the job became terminal: Flink's end time, kept between the last answer that did not show it terminal yet
    /// and now, since Flink's clock may differ from ours. Grace counts from then, not from when a poll happened to see it.
    /// </summary>
    public static DateTimeOffset TerminalSince(long flinkEndTime, DateTimeOffset notBefore, DateTimeOffset now)
    {
        if (flinkEndTime <= 0)
        {
            return now;
        }

        var reported = DateTimeOffset.FromUnixTimeMilliseconds(flinkEndTime);
        return reported < notBefore ? notBefore : reported > now ? now : reported;
    }

    /// <summary>A duration as messages spell it: "500 ms", "30 s", "5 min".</summary>
    public static string Describe(TimeSpan span) => span switch
    {
        { TotalMilliseconds: < 1000 } => $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        { TotalSeconds: < 120 } => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
        _ => $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min",
    };

    // The job reached a terminal state: the client gets its grace, then Flink's state is the outcome.
    private static Verdict JobEnded(RunRecord run, RunObservation observation, SupervisionPolicy policy, string flinkState)
    {
        var client = observation.Client;
        if (!client.IsGone)
        {
            var graceEnds = (observation.Flink.TerminalSince ?? observation.Now) + policy.Grace;
            if (observation.Now < graceEnds)
            {
                return new Verdict.KeepWaiting(graceEnds);
            }

            return new Verdict.EndClient(client.IsOrphan
                ? $"The client started before the Submitter restarted (process {client.ProcessId}) was still running {Describe(policy.Grace)} after its job reached {flinkState}; it and its child processes were ended."
                : $"The client was still running {Describe(policy.Grace)} after its job reached {flinkState}; it and its child processes were ended.");
        }

        var jobId = run.FlinkJobId;
        return flinkState switch
        {
            FlinkJobStates.Finished => new Verdict.Conclude(new RunOutcome(
                RunState.Succeeded,
                Warnings: client is { Status: ClientStatus.Exited, EndedBySubmitter: false, ExitCode: { } code and not 0 }
                    ? [$"The client exited with code {code} although its job FINISHED; the run counts as succeeded."]
                    : null)),
            FlinkJobStates.Canceled => new Verdict.Conclude(new RunOutcome(
                RunState.Cancelled, RunFailureReason.JobCancelledExternally, $"Flink job {jobId} was cancelled outside this Submitter.")),
            FlinkJobStates.Failed => new Verdict.Conclude(new RunOutcome(
                RunState.Failed, RunFailureReason.JobFailed, $"Flink job {jobId} FAILED:", AddRootCause: true)),
            _ => new Verdict.Conclude(new RunOutcome(RunState.Failed, RunFailureReason.JobFailed, $"Flink job {jobId} ended {flinkState}.")),
        };
    }

    // Waits for a job until the job timeout has passed since the observation started, then concludes with the outcome.
    private static Verdict UntilJobTimeout(RunObservation observation, SupervisionPolicy policy, Func<RunOutcome> outcome) =>
        observation.Now - observation.Since < policy.JobTimeout
            ? new Verdict.KeepWaiting(observation.Since + policy.JobTimeout)
            : new Verdict.Conclude(outcome());

    // No job of this run has been seen yet.
    private static Verdict NoJobYet(RunRecord run, RunObservation observation, SupervisionPolicy policy)
    {
        var now = observation.Now;
        var client = observation.Client;
        var flinkNote = FlinkNote(observation.Flink);
        switch (client.Status)
        {
            case ClientStatus.Running:
                return UntilJobTimeout(observation, policy, () => new RunOutcome(
                    RunState.TimedOut,
                    RunFailureReason.JobTimeout,
                    $"No Flink job named {run.JobName} appeared within {Describe(policy.JobTimeout)}; the client and its child processes were ended and the job's cancellation was attempted.{flinkNote}",
                    EndClient: true,
                    CancelJob: true));

            case ClientStatus.OrphanRunning:
                return UntilJobTimeout(observation, policy, () => new RunOutcome(
                    RunState.Failed,
                    RunFailureReason.SubmitterRestarted,
                    $"Submitter restarted while the run was launching; no Flink job named {run.JobName} appeared within {Describe(policy.JobTimeout)} after that, so the client it had started (process {client.ProcessId}) was ended and the job's cancellation was attempted.{flinkNote}",
                    EndClient: true,
                    CancelJob: true));

            case ClientStatus.Unknown:
                return UntilJobTimeout(observation, policy, () => new RunOutcome(
                    RunState.Failed,
                    RunFailureReason.SubmitterRestarted,
                    $"Submitter restarted while the run was {run.State}; no Flink job named {run.JobName} appeared within {Describe(policy.JobTimeout)} after that.{flinkNote}",
                    CancelJob: true));
        }

        // The client is gone without a job seen. Judge it only on an answer of Flink taken after the settle time, so a
        // job that appeared late, or ended between two polls, is seen and never run again.
        var goneAt = client.GoneAt ?? observation.Since;
        var judgeFrom = goneAt + policy.Timings.ExitSettle;
        if (observation.Flink.LastAnswerAt < judgeFrom)
        {
            if (now - goneAt < policy.JobTimeout)
            {
                return new Verdict.KeepWaiting(judgeFrom > now ? judgeFrom : null);
            }

            return new Verdict.Conclude(new RunOutcome(
                RunState.Failed,
                RunFailureReason.FlinkUnreachable,
                $"The client {Exited(client)} and Flink did not answer for {Describe(policy.JobTimeout)} after that, so whether it created a job is unknown; it was not retried.{flinkNote}"));
        }

        if (client.Status == ClientStatus.OrphanGone)
        {
            return new Verdict.Conclude(new RunOutcome(
                RunState.Failed,
                RunFailureReason.SubmitterRestarted,
                $"Submitter restarted while the run was launching; the client it had started (process {client.ProcessId}) has ended and no Flink job named {run.JobName} was found."));
        }

        var retriesLeft = run.Attempts <= policy.Retries;
        if (client is { ExitCode: not 0, TransientSignature: { } signature, EndedBySubmitter: false } && retriesLeft)
        {
            return new Verdict.Retry(signature);
        }

        var error = client.ExitCode == 0
            ? $"The client exited with code 0 but no Flink job named {run.JobName} appeared."
            : $"The client {Exited(client)} before any Flink job named {run.JobName} appeared{(client.LastLine is { } line ? $": {line}" : ".")}";
        if (client is { ExitCode: not 0, TransientSignature: { } transient })
        {
            error += $" The failure looked transient ({transient}), but all {policy.Retries} retries were used.";
        }

        return new Verdict.Conclude(new RunOutcome(RunState.Failed, RunFailureReason.ClientFailed, error));
    }

    // The job exists and has not ended: Flink must keep answering and keep listing it.
    private static Verdict JobUnderway(RunRecord run, RunObservation observation, SupervisionPolicy policy)
    {
        var now = observation.Now;
        var flink = observation.Flink;
        if (now - flink.LastAnswerAt >= policy.JobTimeout)
        {
            return new Verdict.Conclude(new RunOutcome(
                RunState.TimedOut,
                RunFailureReason.FlinkUnreachable,
                $"Flink did not answer for {Describe(policy.JobTimeout)} while job {run.FlinkJobId} was {run.FlinkState}; the client was ended and the job's cancellation was attempted.{FlinkNote(flink)}",
                EndClient: true,
                CancelJob: true));
        }

        if (flink.JobMissingSince is { } missing && now - missing >= policy.JobTimeout)
        {
            return new Verdict.Conclude(new RunOutcome(
                RunState.Failed,
                RunFailureReason.FlinkUnreachable,
                $"Flink job {run.FlinkJobId} ({run.JobName}) disappeared from Flink's job list while {run.FlinkState}.",
                EndClient: true));
        }

        if (observation.Client.Status == ClientStatus.OrphanRunning)
        {
            return new Verdict.EndClient(
                $"The client started before the Submitter restarted (process {observation.Client.ProcessId}) cannot be followed; it was ended, and the run follows its Flink job {run.FlinkJobId}.");
        }

        var wake = flink.JobMissingSince is { } since ? since + policy.JobTimeout : flink.LastAnswerAt + policy.JobTimeout;
        return new Verdict.KeepWaiting(wake);
    }

    private static string Exited(ClientObservation client) => client.Status switch
    {
        ClientStatus.Exited => $"exited with code {client.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}",
        _ => $"(process {client.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) ended",
    };

    private static string FlinkNote(FlinkObservation flink) =>
        flink is { Answered: false, Error: { } error } ? $" Flink's job list could not be read: {error}" : "";
}
