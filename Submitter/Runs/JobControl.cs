using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Supervision;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>What a cancellation achieved: the job it found, the state it left the job in, and what did not work.</summary>
internal sealed record CancelResult(string? FlinkJobId, string? BeamJobId, string? FlinkState, IReadOnlyList<string> Warnings)
{
    /// <summary>One sentence for the run's record.</summary>
    public string Describe() => FlinkJobId is null
        ? "no job of the run was found to cancel"
        : FlinkState is { } state && FlinkJobStates.IsTerminal(state)
            ? $"Flink job {FlinkJobId} is {state}"
            : $"Flink job {FlinkJobId} was asked to cancel but is still {FlinkState ?? "in an unknown state"}";
}

/// <summary>
/// What supervision asks of the cluster about one job: cancel it (through the Job API when the job server knows it,
/// else Flink REST, and at Flink too when the job server's cancel does not reach it), read its root exception, and
/// learn the job server's id of it.
/// </summary>
internal sealed class JobControl(
    FlinkRestClient flink,
    BeamJobServiceClient? jobService,
    FlinkJobWatcher watcher,
    SupervisionTimings timings,
    ILogger<JobControl> logger,
    TimeProvider time)
{
    /// <summary>
    /// Cancels the run's job if it exists and has not ended: found by its id, or by its name when no id is known yet (the
    /// client may have submitted between the last poll and now). <paramref name="endClient"/> runs once the cancel was
    /// sent, before waiting for Flink to report the job ended.
    /// </summary>
    public async Task<CancelResult> CancelAsync(RunRecord run, Func<Task> endClient)
    {
        var warnings = new List<string>();
        var jobId = run.FlinkJobId;
        var flinkState = run.FlinkState;
        if (jobId is null && await LookUpJobAsync(run.JobName).ConfigureAwait(false) is { } late)
        {
            jobId = late.Id;
            flinkState = late.State;
        }

        var beamJobId = run.BeamJobId;
        if (jobId is null || FlinkJobStates.IsTerminal(flinkState ?? ""))
        {
            await endClient().ConfigureAwait(false);
            return new CancelResult(jobId, beamJobId, flinkState, warnings);
        }

        beamJobId ??= await LookUpBeamJobIdAsync(run.JobName).ConfigureAwait(false);
        var viaJobApi = beamJobId is not null && await CancelThroughJobApiAsync(beamJobId, warnings).ConfigureAwait(false);
        if (!viaJobApi)
        {
            await CancelThroughFlinkAsync(jobId, warnings).ConfigureAwait(false);
        }

        await endClient().ConfigureAwait(false);
        flinkState = await WaitForTerminalAsync(jobId).ConfigureAwait(false) ?? flinkState;
        if (viaJobApi && !FlinkJobStates.IsTerminal(flinkState ?? ""))
        {
            // The job server accepted the cancel but Flink still runs the job: cancel it at Flink too, so no orphan keeps slots.
            await CancelThroughFlinkAsync(jobId, warnings).ConfigureAwait(false);
            flinkState = await WaitForTerminalAsync(jobId).ConfigureAwait(false) ?? flinkState;
        }

        return new CancelResult(jobId, beamJobId, flinkState, warnings);
    }

    /// <summary>Flink's root exception of a failed job, or why it could not be read.</summary>
    public async Task<string> RootCauseAsync(string jobId)
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

    /// <summary>The job server's id for the job: Beam's ids are "&lt;job_name&gt;_&lt;uuid&gt;". Null when there is no job server or it does not know the job.</summary>
    public async Task<string?> LookUpBeamJobIdAsync(string jobName)
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
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or IOException or OperationCanceledException)
        {
            logger.LogDebug(ex, "The Job API could not list jobs while looking for {JobName}", jobName);
            return null;
        }
    }

    private async Task<bool> CancelThroughJobApiAsync(string beamJobId, List<string> warnings)
    {
        try
        {
            var state = await jobService!.CancelAsync(beamJobId, CancellationToken.None, timings.JobApiDeadline).ConfigureAwait(false);
            logger.LogInformation("Cancelled Beam job {BeamJobId} through the Job API; it reports {State}", beamJobId, state);
            return true;
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or IOException or OperationCanceledException)
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

    private async Task<string?> WaitForTerminalAsync(string jobId)
    {
        using var subscription = watcher.Subscribe();
        using var deadline = new CancellationTokenSource(timings.CancelSettle, time);
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
            return FlinkJobs.Find(await flink.GetJobsOverviewAsync().ConfigureAwait(false), jobName);
        }
        catch (FlinkRestException ex)
        {
            logger.LogWarning("Could not look for Flink job {JobName}: {Error}", jobName, ex.Message);
            return null;
        }
    }
}
