using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Tests;

public sealed class EngineRecoveryTests
{
    [Fact]
    public async Task A_restarted_manager_reattaches_to_a_job_that_is_still_running_and_follows_it_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var first = h.CreateManager();
        var started = await first.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid")]), ct);
        await EngineHarness.WaitUntilAsync(() => first.Get(started.Id)!.State == RunState.Running, "the run is Running");
        var jobId = first.Get(started.Id)!.FlinkJobId!;

        // The Submitter stops without cancelling; the job keeps running on Flink.
        await first.ShutdownAsync(cancelActive: false, ct);
        await first.DisposeAsync();
        Assert.Equal(FlinkJobStates.Running, h.Flink.FindJob(jobId)!.State);
        Assert.Empty(h.Flink.CancelledJobIds);

        var second = h.CreateManager();
        Assert.Equal(RunState.Running, second.Get(started.Id)!.State);
        Assert.Equal(1, await second.RecoverAsync(ct));
        var reattached = second.Get(started.Id)!;
        Assert.Equal(RunState.Running, reattached.State);
        Assert.Contains(reattached.Warnings, w => w.Contains("Re-attached", StringComparison.Ordinal));

        h.Flink.SetJobState(jobId, FlinkJobStates.Finished);
        var run = await second.WaitAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(jobId, run.FlinkJobId);
        Assert.Equal(FlinkJobStates.Finished, run.FlinkState);
        Assert.Equal(0, await second.RecoverAsync(ct));
    }

    [Fact]
    public async Task A_restarted_manager_marks_runs_whose_job_is_gone_as_failed_with_what_it_knows()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        using (var store = RunStore.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "aaaabbbbccccdddd", Pipeline = "succeed", JobName = "succeed-aaaabbbb", State = RunState.Running,
                CreatedAt = now, UpdatedAt = now, FlinkJobId = "0123456789abcdef0123456789abcdef", FlinkState = "RUNNING", Attempts = 1,
            });
            store.Save(new RunRecord
            {
                Id = "eeeeffff00001111", Pipeline = "succeed", JobName = "succeed-eeeeffff", State = RunState.Succeeded,
                CreatedAt = now.AddMinutes(-1), UpdatedAt = now, FinishedAt = now,
            });
        }

        var manager = h.CreateManager();
        Assert.Equal(1, await manager.RecoverAsync(ct));

        var run = manager.Get("aaaabbbbccccdddd")!;
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.SubmitterRestarted, run.FailureReason);
        Assert.Equal("Submitter restarted; no Flink job named succeed-aaaabbbb was found.", run.Error);
        Assert.Equal(RunState.Succeeded, manager.Get("eeeeffff00001111")!.State);
        Assert.Equal(["aaaabbbbccccdddd", "eeeeffff00001111"], manager.List().Select(r => r.Id));
        await manager.DisposeAsync();
        using var check = RunStore.Open(h.DataDirectory);
        Assert.Equal(RunState.Failed, check.Get("aaaabbbbccccdddd")!.State);
    }

    [Fact]
    public async Task A_run_reattached_after_its_job_ended_takes_the_jobs_final_state()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var job = h.Flink.AddJob("fail-12345678", FlinkJobStates.Failed);
        h.Flink.SetJobException(job.Id, "java.lang.IllegalStateException", "java.lang.IllegalStateException: Worker lost");
        var now = DateTimeOffset.UtcNow;
        using (var store = RunStore.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "1234567890abcdef", Pipeline = "fail", JobName = "fail-12345678", State = RunState.Launching,
                CreatedAt = now, UpdatedAt = now, Attempts = 1,
            });
        }

        var manager = h.CreateManager();
        await manager.RecoverAsync(ct);
        var run = await manager.WaitAsync("1234567890abcdef", ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.JobFailed, run.FailureReason);
        Assert.Equal(job.Id, run.FlinkJobId);
        Assert.Contains("java.lang.IllegalStateException: Worker lost", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_history_stops_the_manager_with_a_clear_error_and_is_left_byte_for_byte()
    {
        await using var h = await EngineHarness.StartAsync();
        Directory.CreateDirectory(h.DataDirectory);
        var path = Path.Combine(h.DataDirectory, RunStore.FileName);
        var garbage = "this is not a database, just some text someone wrote here\n"u8.ToArray();
        File.WriteAllBytes(path, garbage);

        var error = Assert.Throws<RunStoreException>(() => h.CreateManager());

        Assert.Equal(path, error.FilePath);
        Assert.Contains("is not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains("left untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(path));
        Assert.Equal([RunStore.FileName], Directory.GetFiles(h.DataDirectory).Select(Path.GetFileName));
    }
}
