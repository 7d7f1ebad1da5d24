using System.Diagnostics;
using System.Globalization;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Telemetry;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Drives one run from the gate to a terminal state. Flink, not the client process, is the source of truth:
/// the job is found by its unique name in <c>/jobs/overview</c>, its state decides the outcome, and the client
/// is judged by what it did relative to the job (see <see cref="FollowAsync"/>).
/// </summary>
internal sealed class RunSupervisor(
    SubmitterOptions options,
    SupervisionTimings timings,
    string catalogDirectory,
    IReadinessGate gate,
    FlinkRestClient flink,
    BeamJobServiceClient? jobService,
    FlinkJobWatcher watcher,
    RunLedger ledger,
    SubmitterTelemetry telemetry,
    ILogger logger,
    ILogger clientLogger,
    TimeProvider time)
{
    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Gate, launch (with retries) and follow a new run.</summary>
    public async Task RunAsync(ActiveRun run, ActivityContext caller)
    {
        using var activity = telemetry.StartRun(run.Record, caller);
        using var scope = BeginScope(run.Record);
        await SuperviseAsync(run, activity, reattached: false, () => GateAndLaunchAsync(run, activity)).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows a run that was active when the Submitter stopped (already marked re-attached when its job was found);
    /// it has no client and is never launched again.
    /// </summary>
    public async Task ReattachAsync(ActiveRun run)
    {
        using var activity = telemetry.StartRun(run.Record, default);
        activity?.SetTag("submitter.reattached", true);
        using var scope = BeginScope(run.Record);
        await SuperviseAsync(run, activity, reattached: true, () => FollowAsync(run, null, activity, null)).ConfigureAwait(false);
    }

    // Waits for the gate, then launches until an attempt ends other than with a known transient failure.
    private async Task GateAndLaunchAsync(ActiveRun run, Activity? activity)
    {
        if (!await PassGateAsync(run, activity).ConfigureAwait(false))
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var transient = await AttemptAsync(run, attempt, activity).ConfigureAwait(false);
            if (transient is null)
            {
                return;
            }

            var delay = RetryDelay(attempt);
            telemetry.RunRetried(run.Record.Pipeline);
            SubmitterTelemetry.AddEvent(activity, "retry", ("submitter.attempt", attempt), ("submitter.transient", transient));
            logger.LogWarning("Attempt {Attempt} of run {RunId} failed before any job existed with a known transient error ({Signature}); retrying in {Delay}",
                attempt, run.Id, transient, Describe(delay));
            await Task.Delay(delay, time, run.Token).ConfigureAwait(false);
        }
    }

    // How every supervision ends: cancelled on request, detached at shutdown (the job keeps running), or failed.
    private async Task SuperviseAsync(ActiveRun run, Activity? activity, bool reattached, Func<Task> supervise)
    {
        try
        {
            await supervise().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.CancelRequested)
        {
            await CompleteCancelAsync(run, activity).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Detached)
        {
            if (reattached)
            {
                logger.LogInformation("Stopped supervising re-attached run {RunId} ({State})", run.Id, run.Record.State);
            }
            else
            {
                logger.LogInformation("Stopped supervising run {RunId} ({State}); its job keeps running and is re-attached on the next start", run.Id, run.Record.State);
            }
        }
        catch (Exception ex)
        {
            Fail(run, ex);
        }
        finally
        {
            End(activity, run.Record);
        }
    }

    /// <summary>The record of a run re-attached to <paramref name="job"/> after a restart.</summary>
    public static RunRecord Reattached(RunRecord record, FlinkJobSummary job, DateTimeOffset now) => record with
    {
        State = job.State == FlinkJobStates.Running || record.State == RunState.Running ? RunState.Running : RunState.Submitted,
        FlinkJobId = job.Id,
        FlinkState = job.State,
        SubmittedAt = record.SubmittedAt ?? now,
        Warnings = [.. record.Warnings, $"Re-attached to Flink job {job.Id} by its name after a Submitter restart; the client's outcome is unknown."],
    };

    /// <summary>One lookup of a job by run job name: an exact match, else a name that contains it (runners may decorate names); newest first.</summary>
    public static FlinkJobSummary? FindJob(IEnumerable<FlinkJobSummary> jobs, string jobName)
    {
        FlinkJobSummary? best = null;
        var bestExact = false;
        foreach (var job in jobs)
        {
            var exact = job.Name == jobName;
            if (!exact && !ContainsAsWord(job.Name, jobName))
            {
                continue;
            }

            if (best is null || (exact && !bestExact) || (exact == bestExact && job.StartTime > best.StartTime))
            {
                best = job;
                bestExact = exact;
            }
        }

        return best;
    }

    private async Task<bool> PassGateAsync(ActiveRun run, Activity? activity)
    {
        var parallelism = run.Definition!.Parallelism;
        ledger.Apply(run, r => r with { State = RunState.WaitingForCluster });
        using var span = SubmitterTelemetry.StartStep(activity, "gate");
        span?.SetTag("submitter.parallelism", parallelism);
        ReadinessReport report;
        try
        {
            report = await gate.WaitUntilReadyAsync(parallelism, options.ReadyTimeout, run.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            ledger.Apply(run, r => r with
            {
                State = RunState.Failed,
                FailureReason = RunFailureReason.ClusterNotReady,
                Error = $"The readiness gate failed: {ex.Message}",
            });
            return false;
        }

        span?.SetTag("submitter.gate.ready", report.IsReady);
        if (report.IsReady)
        {
            return true;
        }

        span?.SetStatus(ActivityStatusCode.Error, "not ready");
        ledger.Apply(run, r => r with
        {
            State = RunState.Failed,
            FailureReason = RunFailureReason.ClusterNotReady,
            Error = $"The cluster was not ready within {Describe(options.ReadyTimeout)}: {OneLine(report.Describe())}",
        });
        return false;
    }

    /// <summary>Launches the client once and follows it; returns the transient signature when the attempt should be retried.</summary>
    private async Task<string?> AttemptAsync(ActiveRun run, int attempt, Activity? activity)
    {
        ledger.Apply(run, r => r with
        {
            State = RunState.Launching,
            Attempts = attempt,
            LaunchedAt = Now,
            ClientExitCode = null,
            LastOutput = [],
        });

        var launchSpan = SubmitterTelemetry.StartStep(activity, "launch");
        launchSpan?.SetTag("submitter.attempt", attempt);
        try
        {
            var previous = run.Client;
            run.Client = null;
            previous?.Dispose();

            ClientProcess client;
            try
            {
                client = await ClientProcess.StartAsync(
                    new ClientLaunch(options.PythonPath, run.Arguments!, catalogDirectory, new Dictionary<string, string?>(), run.Record.Pipeline, run.Id),
                    clientLogger).ConfigureAwait(false);
            }
            catch (ClientStartException ex)
            {
                launchSpan?.SetStatus(ActivityStatusCode.Error, ex.Message);
                ledger.Apply(run, r => r with { State = RunState.Failed, FailureReason = RunFailureReason.ClientStartFailed, Error = ex.Message });
                return null;
            }

            run.Client = client;
            if (attempt == 1)
            {
                telemetry.RunStarted(run.Record.Pipeline);
            }

            logger.LogInformation("Run {RunId} attempt {Attempt}: started {Python} (pid {ProcessId}) for {JobName}",
                run.Id, attempt, options.PythonPath, client.ProcessId, run.Record.JobName);
            _ = client.Completion.ContinueWith(_ => watcher.Nudge(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return await FollowAsync(run, client, activity, launchSpan, attempt).ConfigureAwait(false);
        }
        finally
        {
            launchSpan?.Dispose();
        }
    }

    /// <summary>
    /// Watches Flink and the client until the run is decided:
    /// job terminal → the outcome is Flink's state (a client still alive after the grace period is ended first);
    /// client gone without a job (after a short settle) → retry when transient, else Failed;
    /// no job within the job timeout while the client runs → TimedOut;
    /// job known but Flink silent or the job gone for the job timeout → Failed.
    /// </summary>
    private async Task<string?> FollowAsync(ActiveRun run, ClientProcess? client, Activity? activity, Activity? launchSpan, int attempt = 0)
    {
        var jobName = run.Record.JobName;
        var jobId = run.Record.FlinkJobId;
        var flinkState = run.Record.FlinkState;
        var started = Now;
        var lastAnswer = started;
        var previousAnswer = started;
        var jobEndTime = -1L;
        DateTimeOffset? terminalSince = null;
        DateTimeOffset? goneSince = null;
        DateTimeOffset? missingSince = null;
        Exception? lastError = null;
        var exitRecorded = false;
        var version = 0L;

        using var subscription = watcher.Subscribe();
        watcher.Nudge();
        while (true)
        {
            var snapshot = await watcher.NextAsync(version, run.Token).ConfigureAwait(false);
            version = snapshot.Version;
            var now = Now;

            if (snapshot.Jobs is { } jobs)
            {
                previousAnswer = lastAnswer;
                lastAnswer = now;
                lastError = null;
                var job = jobId is null ? FindJob(jobs, jobName) : jobs.FirstOrDefault(j => j.Id == jobId);
                missingSince = job is null && jobId is not null ? missingSince ?? now : null;
                jobEndTime = job?.EndTime ?? jobEndTime;
                if (job is not null && (jobId is null || job.State != flinkState))
                {
                    var first = jobId is null;
                    jobId = job.Id;
                    flinkState = job.State;
                    ObserveJob(run, client, job, first, activity, launchSpan);
                }
            }
            else
            {
                lastError = snapshot.Error;
            }

            int? exitCode = client is { Completion.IsCompletedSuccessfully: true } ? client.Completion.Result : null;
            var clientGone = client is null || client.Completion.IsCompleted;
            if (clientGone)
            {
                goneSince ??= now;
            }

            if (exitCode is { } code && !exitRecorded)
            {
                exitRecorded = true;
                ledger.Apply(run, r => r with { ClientExitCode = code, LastOutput = client!.LastLines });
                logger.LogInformation("Run {RunId}: client exited with code {ExitCode}", run.Id, code);
            }

            if (flinkState is not null && FlinkJobStates.IsTerminal(flinkState))
            {
                terminalSince ??= TerminalSince(jobEndTime, previousAnswer, now);
                var warnings = new List<string>();
                if (!clientGone && await OutlivesGraceAsync(client!, terminalSince.Value, run.Token).ConfigureAwait(false))
                {
                    warnings.Add($"The client was still running {Describe(options.Grace)} after its job reached {flinkState}; it and its child processes were ended.");
                    exitCode = await KillAsync(client!).ConfigureAwait(false);
                }
                else
                {
                    if (!clientGone && client!.Completion.IsCompletedSuccessfully)
                    {
                        exitCode = client.Completion.Result;
                        logger.LogInformation("Run {RunId}: client exited with code {ExitCode}", run.Id, exitCode);
                    }

                    if (exitCode is { } c && c != 0 && flinkState == FlinkJobStates.Finished)
                    {
                        warnings.Add($"The client exited with code {c} although its job FINISHED; the run counts as succeeded.");
                    }
                }

                await FinishFromFlinkAsync(run, jobId!, flinkState, exitCode, client, warnings, activity).ConfigureAwait(false);
                return null;
            }

            if (jobId is null)
            {
                if (client is null)
                {
                    if (snapshot.Jobs is not null || now - started >= options.JobTimeout)
                    {
                        var why = snapshot.Jobs is not null ? "." : $" (Flink did not answer for {Describe(options.JobTimeout)}: {lastError?.Message})";
                        ledger.Apply(run, r => r with
                        {
                            State = RunState.Failed,
                            FailureReason = RunFailureReason.SubmitterRestarted,
                            Error = $"Submitter restarted; no Flink job named {jobName} was found{why}",
                        });
                        return null;
                    }

                    continue;
                }

                if (clientGone)
                {
                    // Judged only after a short settle: a job that ended between two polls still shows up, and is never run again.
                    if (now - goneSince < timings.ExitSettle)
                    {
                        continue;
                    }

                    return JudgeExitWithoutJob(run, client, attempt, lastError);
                }

                if (now - started >= options.JobTimeout)
                {
                    var killedCode = await KillAsync(client).ConfigureAwait(false);
                    var flinkNote = lastError is null ? "" : $" Flink's job list could not be read: {lastError.Message}";
                    ledger.Apply(run, r => r with
                    {
                        State = RunState.TimedOut,
                        FailureReason = RunFailureReason.JobTimeout,
                        ClientExitCode = killedCode,
                        LastOutput = client.LastLines,
                        Error = $"No Flink job named {jobName} appeared within {Describe(options.JobTimeout)}; the client and its child processes were ended.{flinkNote}",
                    });
                    return null;
                }

                continue;
            }

            if (now - lastAnswer >= options.JobTimeout || (missingSince is { } since && now - since >= options.JobTimeout))
            {
                var error = now - lastAnswer >= options.JobTimeout
                    ? $"Flink did not answer for {Describe(options.JobTimeout)} while job {jobId} was {flinkState}: {lastError?.Message}"
                    : $"Flink job {jobId} ({jobName}) disappeared from Flink's job list while {flinkState}.";
                int? killedCode = client is not null && !clientGone ? await KillAsync(client).ConfigureAwait(false) : exitCode;
                ledger.Apply(run, r => r with
                {
                    State = RunState.Failed,
                    FailureReason = RunFailureReason.FlinkUnreachable,
                    ClientExitCode = killedCode ?? r.ClientExitCode,
                    LastOutput = client?.LastLines ?? r.LastOutput,
                    Error = error,
                });
                return null;
            }
        }
    }

    private void ObserveJob(ActiveRun run, ClientProcess? client, FlinkJobSummary job, bool first, Activity? activity, Activity? launchSpan)
    {
        if (first && client is null)
        {
            // A run recovered while Flink was not answering: found now.
            ledger.Apply(run, r => Reattached(r, job, Now));
            return;
        }

        if (first)
        {
            ledger.Apply(run, r => r with
            {
                State = r.State == RunState.Running ? RunState.Running : RunState.Submitted,
                FlinkJobId = job.Id,
                FlinkState = job.State,
                SubmittedAt = r.SubmittedAt ?? Now,
                LastOutput = client?.LastLines ?? r.LastOutput,
            });
            SubmitterTelemetry.AddEvent(activity, "submitted", ("flink.job.id", job.Id), ("flink.job.name", job.Name));
            launchSpan?.Stop();
            if (jobService is not null && run.Record.BeamJobId is null)
            {
                _ = RecordBeamJobIdAsync(run);
            }
        }

        var running = job.State == FlinkJobStates.Running && run.Record.State != RunState.Running;
        if (first && !running)
        {
            return;
        }

        ledger.Apply(run, r => r with
        {
            State = running ? RunState.Running : r.State,
            FlinkState = job.State,
            LastOutput = client?.LastLines ?? r.LastOutput,
        });
        if (running)
        {
            SubmitterTelemetry.AddEvent(activity, "running", ("flink.job.id", job.Id));
        }
    }

    /// <summary>
    /// When the job became terminal: Flink's end-time, kept between the previous answer (which did not show it
    /// terminal yet) and now, since Flink's clock may differ from ours. Grace is counted from then, not from when a
    /// poll happened to see it.
    /// </summary>
    internal static DateTimeOffset TerminalSince(long flinkEndTime, DateTimeOffset notBefore, DateTimeOffset now)
    {
        if (flinkEndTime <= 0)
        {
            return now;
        }

        var reported = DateTimeOffset.FromUnixTimeMilliseconds(flinkEndTime);
        return reported < notBefore ? notBefore : reported > now ? now : reported;
    }

    /// <summary>Waits, at most until the grace period after <paramref name="terminalSince"/> ends, for the client to exit; true when it did not.</summary>
    private async Task<bool> OutlivesGraceAsync(ClientProcess client, DateTimeOffset terminalSince, CancellationToken cancellationToken)
    {
        var left = options.Grace - (Now - terminalSince);
        if (left > TimeSpan.Zero)
        {
            // The exit or the end of the grace decides, not the next poll of Flink.
            await ((Task)client.Completion).WaitAsync(left, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return !client.Completion.IsCompleted;
    }

    private string? JudgeExitWithoutJob(ActiveRun run, ClientProcess client, int attempt, Exception? flinkError)
    {
        int? exitCode = client.Completion.IsCompletedSuccessfully ? client.Completion.Result : null;
        var lines = client.LastLines;
        var transient = exitCode is not 0 ? TransientClientFailure.Match(lines) : null;
        if (transient is not null && attempt <= options.Retries)
        {
            ledger.Apply(run, r => r with { ClientExitCode = exitCode, LastOutput = lines });
            return transient;
        }

        var jobName = run.Record.JobName;
        var detail = lines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim();
        var error = exitCode == 0
            ? $"The client exited with code 0 but no Flink job named {jobName} appeared."
            : $"The client exited with code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} before any Flink job named {jobName} appeared{(detail is null ? "." : $": {detail}")}";
        if (transient is not null)
        {
            error += $" The failure looked transient ({transient}), but all {options.Retries} retries were used.";
        }

        if (flinkError is not null)
        {
            error += $" Flink's job list could not be read: {flinkError.Message}";
        }

        ledger.Apply(run, r => r with
        {
            State = RunState.Failed,
            FailureReason = RunFailureReason.ClientFailed,
            ClientExitCode = exitCode,
            LastOutput = lines,
            Error = error,
        });
        return null;
    }

    private async Task FinishFromFlinkAsync(
        ActiveRun run, string jobId, string flinkState, int? exitCode, ClientProcess? client, List<string> warnings, Activity? activity)
    {
        SubmitterTelemetry.AddEvent(activity, "terminal", ("flink.job.state", flinkState));
        var output = client?.LastLines;
        RunState state;
        RunFailureReason? reason = null;
        string? error = null;
        switch (flinkState)
        {
            case FlinkJobStates.Finished:
                state = RunState.Succeeded;
                break;
            case FlinkJobStates.Canceled:
                state = RunState.Cancelled;
                reason = RunFailureReason.JobCancelledExternally;
                error = $"Flink job {jobId} was cancelled outside this Submitter.";
                break;
            case FlinkJobStates.Failed:
                state = RunState.Failed;
                reason = RunFailureReason.JobFailed;
                error = $"Flink job {jobId} FAILED: {await RootCauseAsync(jobId).ConfigureAwait(false)}";
                break;
            default:
                state = RunState.Failed;
                reason = RunFailureReason.JobFailed;
                error = $"Flink job {jobId} ended {flinkState}.";
                break;
        }

        ledger.Apply(run, r => r with
        {
            State = state,
            FailureReason = reason,
            Error = error,
            FlinkJobId = jobId,
            FlinkState = flinkState,
            ClientExitCode = exitCode ?? r.ClientExitCode,
            LastOutput = output ?? r.LastOutput,
            Warnings = [.. r.Warnings, .. warnings],
        });
    }

    /// <summary>Cancels the job (Job API when the Beam job id is known, else Flink REST), ends the client, and records Cancelled.</summary>
    private async Task CompleteCancelAsync(ActiveRun run, Activity? activity)
    {
        if (run.Record.State.IsTerminal())
        {
            return;
        }

        SubmitterTelemetry.AddEvent(activity, "cancel");
        var warnings = new List<string>();
        var client = run.Client;
        var jobName = run.Record.JobName;
        var jobId = run.Record.FlinkJobId;
        var flinkState = run.Record.FlinkState;
        if (jobId is null)
        {
            // The client may have submitted between the last poll and the cancel request.
            var late = await LookUpJobAsync(jobName).ConfigureAwait(false);
            jobId = late?.Id;
            flinkState = late?.State ?? flinkState;
        }

        var beamJobId = run.Record.BeamJobId;
        if (jobId is not null && !FlinkJobStates.IsTerminal(flinkState ?? ""))
        {
            beamJobId ??= await LookUpBeamJobIdAsync(jobName).ConfigureAwait(false);
            var viaJobApi = beamJobId is not null && await CancelThroughJobApiAsync(beamJobId, warnings).ConfigureAwait(false);
            if (!viaJobApi)
            {
                await CancelThroughFlinkAsync(jobId, warnings).ConfigureAwait(false);
            }

            int? exitCode = client is null ? null : await KillAsync(client).ConfigureAwait(false);
            flinkState = await WaitForTerminalAsync(jobId, timings.CancelSettle).ConfigureAwait(false) ?? flinkState;
            if (viaJobApi && !FlinkJobStates.IsTerminal(flinkState ?? ""))
            {
                // The job server accepted the cancel but Flink still runs the job: cancel it at Flink too, so no orphan keeps slots.
                await CancelThroughFlinkAsync(jobId, warnings).ConfigureAwait(false);
                flinkState = await WaitForTerminalAsync(jobId, timings.CancelSettle).ConfigureAwait(false) ?? flinkState;
            }

            Record(exitCode);
        }
        else
        {
            Record(client is null ? null : await KillAsync(client).ConfigureAwait(false));
        }

        void Record(int? exitCode) => ledger.Apply(run, r => r with
        {
            State = RunState.Cancelled,
            FailureReason = null,
            Error = null,
            FlinkJobId = jobId ?? r.FlinkJobId,
            BeamJobId = beamJobId ?? r.BeamJobId,
            FlinkState = flinkState,
            ClientExitCode = exitCode ?? r.ClientExitCode,
            LastOutput = client?.LastLines ?? r.LastOutput,
            Warnings = [.. r.Warnings, .. warnings],
        });
    }

    private async Task<bool> CancelThroughJobApiAsync(string beamJobId, List<string> warnings)
    {
        try
        {
            var state = await jobService!.CancelAsync(beamJobId, CancellationToken.None, timings.JobApiDeadline).ConfigureAwait(false);
            logger.LogInformation("Cancelled Beam job {BeamJobId} through the Job API; it reports {State}", beamJobId, state);
            return true;
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or OperationCanceledException)
        {
            warnings.Add($"The Job API could not cancel Beam job {beamJobId} ({ex.Message}); cancelled through Flink REST instead.");
            return false;
        }
    }

    private async Task CancelThroughFlinkAsync(string jobId, List<string> warnings)
    {
        try
        {
            await flink.CancelJobAsync(jobId).ConfigureAwait(false);
            logger.LogInformation("Cancelled Flink job {FlinkJobId} through Flink REST", jobId);
        }
        catch (FlinkRestException ex)
        {
            warnings.Add($"Flink did not accept the cancellation of job {jobId}: {ex.Message}");
        }
    }

    private async Task<string?> WaitForTerminalAsync(string jobId, TimeSpan timeout)
    {
        using var subscription = watcher.Subscribe();
        using var deadline = new CancellationTokenSource(timeout, time);
        watcher.Nudge();
        string? state = null;
        var version = 0L;
        try
        {
            while (true)
            {
                var snapshot = await watcher.NextAsync(version, deadline.Token).ConfigureAwait(false);
                version = snapshot.Version;
                state = snapshot.Jobs?.FirstOrDefault(j => j.Id == jobId)?.State ?? state;
                if (state is not null && FlinkJobStates.IsTerminal(state))
                {
                    return state;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return state;
        }
    }

    private async Task<FlinkJobSummary?> LookUpJobAsync(string jobName)
    {
        try
        {
            return FindJob(await flink.GetJobsOverviewAsync().ConfigureAwait(false), jobName);
        }
        catch (FlinkRestException ex)
        {
            logger.LogWarning("Could not look for Flink job {JobName}: {Error}", jobName, ex.Message);
            return null;
        }
    }

    private async Task RecordBeamJobIdAsync(ActiveRun run)
    {
        var beamJobId = await LookUpBeamJobIdAsync(run.Record.JobName).ConfigureAwait(false);
        if (beamJobId is not null)
        {
            try
            {
                ledger.Apply(run, r => r with { BeamJobId = r.BeamJobId ?? beamJobId });
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not record Beam job id {BeamJobId} of run {RunId}", beamJobId, run.Id);
            }
        }
    }

    /// <summary>The job server's id for the job: Beam's ids are "&lt;job_name&gt;_&lt;uuid&gt;".</summary>
    private async Task<string?> LookUpBeamJobIdAsync(string jobName)
    {
        if (jobService is null)
        {
            return null;
        }

        try
        {
            var jobs = await jobService.GetJobsAsync(CancellationToken.None, timings.JobApiDeadline).ConfigureAwait(false);
            return jobs
                .Where(j => j.JobName == jobName || j.JobId.StartsWith(jobName + "_", StringComparison.Ordinal))
                .OrderBy(j => BeamJobStates.IsTerminal(j.State))
                .Select(j => j.JobId)
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or OperationCanceledException)
        {
            logger.LogDebug(ex, "The Job API could not list jobs while looking for {JobName}", jobName);
            return null;
        }
    }

    private async Task<string> RootCauseAsync(string jobId)
    {
        try
        {
            var exceptions = await flink.GetJobExceptionsAsync(jobId).ConfigureAwait(false);
            return exceptions.RootCause ?? "Flink reported no exception.";
        }
        catch (FlinkRestException ex)
        {
            return $"its exceptions could not be read ({ex.Message}).";
        }
    }

    private async Task<int?> KillAsync(ClientProcess client)
    {
        client.Kill();
        try
        {
            return await client.Completion.WaitAsync(timings.KillWait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Client process {ProcessId} did not exit within {Wait} of being killed", client.ProcessId, Describe(timings.KillWait));
            return null;
        }
    }

    private void Fail(ActiveRun run, Exception ex)
    {
        logger.LogError(ex, "Supervising run {RunId} failed", run.Id);
        run.Client?.Kill();
        try
        {
            ledger.Apply(run, r => r with
            {
                State = RunState.Failed,
                FailureReason = RunFailureReason.SupervisionError,
                Error = $"The Submitter failed while supervising the run: {ex.Message}",
            });
        }
        catch (Exception storeError)
        {
            logger.LogCritical(storeError, "Run {RunId} could not be marked Failed", run.Id);
            run.Completion.TrySetException(new AggregateException(ex, storeError));
        }
    }

    private TimeSpan RetryDelay(int attempt)
    {
        var exponential = options.RetryBackoff * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return jittered < timings.MaxRetryDelay ? jittered : timings.MaxRetryDelay;
    }

    private IDisposable? BeginScope(RunRecord record) => logger.BeginScope(new Dictionary<string, object>
    {
        ["Pipeline"] = record.Pipeline,
        ["RunId"] = record.Id,
        ["JobName"] = record.JobName,
    });

    private static void End(Activity? activity, RunRecord record)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("submitter.run.state", record.State.ToString());
        activity.SetTag("submitter.attempts", record.Attempts);
        if (record.FlinkJobId is not null)
        {
            activity.SetTag("flink.job.id", record.FlinkJobId);
        }

        if (record.State is RunState.Failed or RunState.TimedOut)
        {
            activity.SetStatus(ActivityStatusCode.Error, record.Error);
        }
        else if (record.State.IsTerminal())
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }
    }

    private static bool ContainsAsWord(string name, string jobName)
    {
        var index = name.IndexOf(jobName, StringComparison.Ordinal);
        while (index >= 0)
        {
            var end = index + jobName.Length;
            var before = index == 0 || !char.IsAsciiLetterOrDigit(name[index - 1]);
            var after = end == name.Length || !(char.IsAsciiLetterOrDigit(name[end]) || name[end] == '-');
            if (before && after)
            {
                return true;
            }

            index = name.IndexOf(jobName, index + 1, StringComparison.Ordinal);
        }

        return false;
    }

    private static string OneLine(string text) => string.Join("; ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    internal static string Describe(TimeSpan span) => span switch
    {
        { TotalMilliseconds: < 1000 } => $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        { TotalSeconds: < 120 } => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
        _ => $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min",
    };
}
