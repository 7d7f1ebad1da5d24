using System.Diagnostics;
using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Drives one run from the readiness gate to a terminal state: admission, then launch attempts (a known transient
/// failure before any job existed is retried with backoff), each followed by <see cref="RunFollower"/>. A run taken
/// over after a restart is only followed, never launched again.
/// </summary>
internal sealed class RunSupervisor(
    IReadinessGate gate,
    ClientLauncher launcher,
    RunFollower follower,
    RunLedger ledger,
    SubmitterTelemetry telemetry,
    SupervisionSettings settings,
    ILogger<RunSupervisor> logger,
    TimeProvider time)
{
    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Gate, launch (with retries) and follow a new run.</summary>
    public async Task RunAsync(ActiveRun run, ActivityContext caller)
    {
        using var activity = telemetry.StartRun(run.Record, caller);
        using var scope = BeginScope(run.Record);
        await SuperviseAsync(run, activity, async () =>
        {
            if (!await PassGateAsync(run, activity).ConfigureAwait(false))
            {
                return;
            }

            for (var attempt = 1; ; attempt++)
            {
                if (await AttemptAsync(run, attempt, activity).ConfigureAwait(false) is not Verdict.Retry retry)
                {
                    return;
                }

                var delay = settings.RetryDelay(attempt);
                telemetry.RunRetried(run.Record.Pipeline);
                SubmitterTelemetry.AddEvent(activity, "retry", ("submitter.attempt", attempt), ("submitter.transient", retry.Signature));
                logger.LogWarning("Attempt {Attempt} of run {RunId} failed before any job existed with a known transient error ({Signature}); retrying in {Delay}",
                    attempt, run.Id, retry.Signature, SupervisionDecision.Describe(delay));
                await Task.Delay(delay, time, run.Token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Follows a run taken over from a Submitter that is gone; its client, if it still runs, is not this process's.</summary>
    public async Task AdoptAsync(ActiveRun run)
    {
        using var activity = telemetry.StartRun(run.Record, default);
        activity?.SetTag("submitter.reattached", true);
        using var scope = BeginScope(run.Record);
        run.Client = Client.Recorded(run.Record.ClientProcessId, run.Record.ClientProcessStart);
        await SuperviseAsync(run, activity, () => follower.FollowAsync(run, Now, activity)).ConfigureAwait(false);
    }

    // How every supervision ends: cancelled on request, detached at shutdown (the job keeps running), or failed.
    private async Task SuperviseAsync(ActiveRun run, Activity? activity, Func<Task> supervise)
    {
        try
        {
            await supervise().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.CancelRequested)
        {
            await follower.CancelAsync(run, activity).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Detached)
        {
            logger.LogInformation("Stopped supervising run {RunId} ({State}); its job keeps running and is taken over on the next start", run.Id, run.Record.State);
        }
        catch (Exception ex)
        {
            Fail(run, ex);
        }
        finally
        {
            run.Admission?.Dispose();
            End(activity, run.Record);
        }
    }

    private async Task<bool> PassGateAsync(ActiveRun run, Activity? activity)
    {
        var parallelism = run.Definition!.Parallelism;
        ledger.Apply(run, r => r with { State = RunState.WaitingForCluster });
        using var span = SubmitterTelemetry.StartStep(activity, "gate");
        span?.SetTag("submitter.parallelism", parallelism);
        GateAdmission admission;
        try
        {
            admission = await gate.AdmitAsync(parallelism, settings.ReadyTimeout, run.Token).ConfigureAwait(false);
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

        span?.SetTag("submitter.gate.ready", admission.Admitted);
        span?.SetTag("submitter.gate.waited_ms", (long)admission.Waited.TotalMilliseconds);
        if (admission.Admitted)
        {
            run.Admission = admission;
            return true;
        }

        span?.SetStatus(ActivityStatusCode.Error, "not ready");
        ledger.Apply(run, r => r with
        {
            State = RunState.Failed,
            FailureReason = RunFailureReason.ClusterNotReady,
            Error = $"The cluster was not ready for {SupervisionDecision.Describe(settings.ReadyTimeout)}: {OneLine(admission.Report.Describe())}",
        });
        return false;
    }

    /// <summary>Launches the client once and follows it to a verdict.</summary>
    private async Task<Verdict> AttemptAsync(ActiveRun run, int attempt, Activity? activity)
    {
        ledger.Apply(run, r => r with
        {
            State = RunState.Launching,
            Attempts = attempt,
            LaunchedAt = Now,
            ClientExitCode = null,
            ClientProcessId = null,
            ClientProcessStart = null,
            LastOutput = [],
        });

        // A client is started only once its Launching record is on disk: a Submitter that restarts then follows the run
        // by its job name and never launches it a second time.
        if (!ledger.IsWritten(run))
        {
            logger.LogWarning("Run {RunId} launches once its Launching record is written to the history, which cannot be written now", run.Id);
            await ledger.WrittenAsync(run, run.Token).ConfigureAwait(false);
        }

        using var launchSpan = SubmitterTelemetry.StartStep(activity, "launch");
        launchSpan?.SetTag("submitter.attempt", attempt);
        (run.Client as OwnClient)?.Process.Dispose();
        run.Client = Client.None;
        OwnClient client;
        try
        {
            client = await launcher.StartAsync(run).ConfigureAwait(false);
        }
        catch (ClientStartException ex)
        {
            launchSpan?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var outcome = new RunOutcome(RunState.Failed, RunFailureReason.ClientStartFailed, ex.Message);
            await follower.ConcludeAsync(run, outcome, activity).ConfigureAwait(false);
            return new Verdict.Conclude(outcome);
        }

        run.Client = client;
        ledger.Apply(run, r => r with { ClientProcessId = client.Process.ProcessId, ClientProcessStart = client.Process.Identity?.Start });
        if (attempt == 1)
        {
            telemetry.RunStarted(run.Record.Pipeline);
        }

        return await follower.FollowAsync(run, Now, activity, launchSpan).ConfigureAwait(false);
    }

    private void Fail(ActiveRun run, Exception ex)
    {
        logger.LogError(ex, "Supervising run {RunId} failed", run.Id);
        (run.Client as OwnClient)?.Process.Kill();
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

    private static string OneLine(string text) => string.Join("; ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
