using System.Diagnostics;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Follows a run from its launch (or its take-over after a restart) to a verdict: it observes Flink's job list (shared
/// by all runs, <see cref="FlinkJobWatcher"/>) and the client, asks <see cref="SupervisionDecision"/> what that means,
/// and carries the verdict out: ending the client, cancelling the job, writing the record.
/// </summary>
internal sealed class RunFollower(
    FlinkJobWatcher watcher,
    JobControl jobs,
    RunLedger ledger,
    SupervisionSettings settings,
    ILogger<RunFollower> logger,
    TimeProvider time)
{
    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Follows until the run is decided; returns the verdict (a retry, or the conclusion already recorded).</summary>
    /// <exception cref="OperationCanceledException">The run was detached (shutdown that leaves it running).</exception>
    public async Task<Verdict> FollowAsync(ActiveRun run, DateTimeOffset since, Activity? activity, Activity? launchSpan = null)
    {
        var flink = new FlinkView(since);
        var exitRecorded = false;
        var reattached = false;
        var version = 0L;
        DateTimeOffset? wakeAt = null;
        Task<JobsSnapshot>? next = null;
        using var subscription = watcher.Subscribe();
        watcher.Nudge();
        while (true)
        {
            try
            {
                next ??= watcher.NextAsync(version, run.Token);
                var client = run.Client.Observe(Now);
                await WaitAsync(next, client.IsGone ? null : run.Client.Changed(time), wakeAt, run.Token).ConfigureAwait(false);
                if (next.IsCompleted)
                {
                    var snapshot = await next.ConfigureAwait(false);
                    next = null;
                    version = snapshot.Version;
                    // Dated when it was asked: a list asked before the client's exit never counts as Flink's answer after it.
                    flink.Apply(snapshot, run.Record, snapshot.At);
                    // Submitted, then Running: a job first seen running takes both steps.
                    while (flink.Job is { } job && Progress(run, job, activity, launchSpan))
                    {
                    }

                    if (run.Adopted && !reattached && flink.Job is { } found)
                    {
                        reattached = true;
                        ledger.Apply(run, r => r with
                        {
                            Warnings = [.. r.Warnings, $"Re-attached to Flink job {found.Id} by its name after a Submitter restart; the client's outcome is unknown."],
                        });
                    }
                }
            }
            catch (OperationCanceledException) when (run.CancelRequested)
            {
                await CancelAsync(run, activity, flink).ConfigureAwait(false);
                return new Verdict.Conclude(new RunOutcome(RunState.Cancelled));
            }

            var observation = new RunObservation(Now, since, run.Client.Observe(Now), flink.Observation);
            if (!exitRecorded && observation.Client is { Status: ClientStatus.Exited, ExitCode: { } code })
            {
                exitRecorded = true;
                logger.LogInformation("Run {RunId}: client exited with code {ExitCode}", run.Id, code);
                ledger.Apply(run, r => r with { ClientExitCode = code, LastOutput = run.Client.LastLines ?? r.LastOutput });
            }

            var verdict = SupervisionDecision.Decide(run.Record, observation, settings.Policy);
            switch (verdict)
            {
                case Verdict.KeepWaiting keep:
                    wakeAt = keep.WakeAt;
                    break;

                case Verdict.EndClient end:
                    var exitCode = await run.Client.EndAsync(settings.Timings.KillWait, time).ConfigureAwait(false);
                    ledger.Apply(run, r => r with
                    {
                        ClientExitCode = exitCode ?? r.ClientExitCode,
                        LastOutput = run.Client.LastLines ?? r.LastOutput,
                        Warnings = [.. r.Warnings, end.Warning],
                    });
                    exitRecorded = true;
                    wakeAt = Now;
                    break;

                case Verdict.Retry:
                    return verdict;

                case Verdict.Conclude conclude:
                    await ConcludeAsync(run, conclude.Outcome, activity).ConfigureAwait(false);
                    return verdict;
            }
        }
    }

    /// <summary>Carries out a cancel request made while the run was not being followed (at the gate, between attempts).</summary>
    public Task CancelAsync(ActiveRun run, Activity? activity) => CancelAsync(run, activity, new FlinkView(Now));

    /// <summary>Ends the client and cancels the job as <paramref name="outcome"/> asks, then records it.</summary>
    public async Task ConcludeAsync(ActiveRun run, RunOutcome outcome, Activity? activity)
    {
        int? exitCode = null;
        async Task EndClient()
        {
            if (outcome.EndClient && !run.Client.Observe(Now).IsGone)
            {
                exitCode = await run.Client.EndAsync(settings.Timings.KillWait, time).ConfigureAwait(false);
            }
        }

        CancelResult? cancel = null;
        if (outcome.CancelJob)
        {
            SubmitterTelemetry.AddEvent(activity, "cancel");
            cancel = await jobs.CancelAsync(run.Record, EndClient).ConfigureAwait(false);
        }
        else
        {
            await EndClient().ConfigureAwait(false);
        }

        var error = outcome.Error;
        if (outcome.AddRootCause && run.Record.FlinkJobId is { } failed)
        {
            error = $"{error} {await jobs.RootCauseAsync(failed).ConfigureAwait(false)}";
        }

        var warnings = new List<string>(outcome.Warnings ?? []);
        if (cancel is not null)
        {
            warnings.AddRange(cancel.Warnings);
            if (outcome.State != RunState.Cancelled)
            {
                warnings.Add($"Cancellation of the run's job: {cancel.Describe()}.");
            }
        }

        var final = run.Client.Observe(Now);
        SubmitterTelemetry.AddEvent(activity, "terminal", ("submitter.run.state", outcome.State.ToString()), ("flink.job.state", cancel?.FlinkState ?? run.Record.FlinkState));
        ledger.Apply(run, r => r with
        {
            State = outcome.State,
            FailureReason = outcome.Reason,
            Error = error,
            Warnings = [.. r.Warnings, .. warnings],
            ClientExitCode = exitCode ?? final.ExitCode ?? r.ClientExitCode,
            LastOutput = run.Client.LastLines ?? r.LastOutput,
            FlinkJobId = cancel?.FlinkJobId ?? r.FlinkJobId,
            BeamJobId = cancel?.BeamJobId ?? r.BeamJobId,
            FlinkState = cancel?.FlinkState ?? r.FlinkState,
        });
    }

    private async Task CancelAsync(ActiveRun run, Activity? activity, FlinkView flink)
    {
        var observation = new RunObservation(Now, Now, run.Client.Observe(Now), flink.Observation, CancelRequested: true);
        if (SupervisionDecision.Decide(run.Record, observation, settings.Policy) is Verdict.Conclude conclude)
        {
            await ConcludeAsync(run, conclude.Outcome, activity).ConfigureAwait(false);
        }
    }

    // The job was seen: Submitted the first time, Running once Flink runs it; a job running on Flink holds its own slots.
    private bool Progress(ActiveRun run, FlinkJobSummary job, Activity? activity, Activity? launchSpan)
    {
        var before = run.Record;
        if (before.State.IsTerminal() || SupervisionDecision.Progress(before, job, Now) is not { } after)
        {
            return false;
        }

        var first = before.FlinkJobId is null;
        ledger.Apply(run, r => (SupervisionDecision.Progress(r, job, Now) ?? r) with { LastOutput = run.Client.LastLines ?? r.LastOutput });

        if (first)
        {
            SubmitterTelemetry.AddEvent(activity, "submitted", ("flink.job.id", job.Id), ("flink.job.name", job.Name));
            launchSpan?.Stop();
            if (run.Record.BeamJobId is null)
            {
                _ = RecordBeamJobIdAsync(run);
            }
        }

        if (after.State == RunState.Running && before.State != RunState.Running)
        {
            SubmitterTelemetry.AddEvent(activity, "running", ("flink.job.id", job.Id));
            run.Admission?.Release();
        }

        return true;
    }

    private async Task RecordBeamJobIdAsync(ActiveRun run)
    {
        try
        {
            if (await jobs.LookUpBeamJobIdAsync(run.Record.JobName).ConfigureAwait(false) is { } beamJobId)
            {
                ledger.Apply(run, r => r with { BeamJobId = r.BeamJobId ?? beamJobId });
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the Beam job id of run {RunId}", run.Id);
        }
    }

    // Waits for the next snapshot, the client to change, or the wake time, whichever comes first.
    private async Task WaitAsync(Task snapshot, Task? client, DateTimeOffset? wakeAt, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = wakeAt is { } at ? at - Now : Timeout.InfiniteTimeSpan;
        var wake = Task.Delay(delay < TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : delay, time, timer.Token);
        await Task.WhenAny(snapshot, client ?? wake, wake).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        if (client is { IsCompleted: true })
        {
            // The client ended: look at Flink now rather than at the next poll.
            watcher.Nudge();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>What the run's supervision has learnt from Flink's job list so far.</summary>
    private sealed class FlinkView(DateTimeOffset since)
    {
        private DateTimeOffset _lastAnswer = since;
        private DateTimeOffset _previousAnswer = since;
        private bool _answered = true;
        private string? _error;
        private DateTimeOffset? _missingSince;
        private DateTimeOffset? _terminalSince;

        public FlinkJobSummary? Job { get; private set; }

        public FlinkObservation Observation => new(_answered, _lastAnswer, Job, _missingSince, _terminalSince, _error);

        public void Apply(JobsSnapshot snapshot, RunRecord run, DateTimeOffset asked)
        {
            if (snapshot.Jobs is not { } list)
            {
                _answered = false;
                _error = snapshot.Error?.Message;
                return;
            }

            // A list asked before the latest one counted (the watcher's last list, from before this run was followed)
            // tells no later time than that one.
            if (asked < _lastAnswer)
            {
                asked = _lastAnswer;
            }

            _answered = true;
            _error = null;
            _previousAnswer = _lastAnswer;
            _lastAnswer = asked;
            var job = run.FlinkJobId is { } id ? list.FirstOrDefault(j => j.Id == id) : FlinkJobs.Find(list, run.JobName);
            Job = job ?? Job;
            _missingSince = job is null && run.FlinkJobId is not null ? _missingSince ?? asked : null;
            if (job is not null && FlinkJobStates.IsTerminal(job.State))
            {
                _terminalSince ??= SupervisionDecision.TerminalSince(job.EndTime, _previousAnswer, asked);
            }
        }
    }
}
