using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Tests;

/// <summary>Taking over runs whose Submitter is gone, with real SQLite files, real clients and the loopback Flink fake.</summary>
public sealed class EngineRecoveryTests
{
    [Fact]
    public async Task A_new_manager_takes_over_a_job_that_is_still_running_once_its_owner_is_gone_and_follows_it_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var first = h.CreateManager();
        var started = await first.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid")]), ct);
        await EngineHarness.WaitUntilAsync(() => first.Get(started.Id)!.State == RunState.Running, "the run is Running");
        var jobId = first.Get(started.Id)!.FlinkJobId!;
        Assert.Equal(first.InstanceId, first.Get(started.Id)!.Owner);

        // While its owner lives, another manager on the same data directory leaves the run alone.
        var bystander = h.CreateManager();
        Assert.Equal(0, await bystander.AdoptOrphansAsync(ct));
        Assert.Equal(first.InstanceId, bystander.Get(started.Id)!.Owner);
        await h.StopAsync(bystander);

        // The owner stops without cancelling; the job keeps running on Flink.
        await first.ShutdownAsync(cancelActive: false, ct);
        await h.StopAsync(first);
        Assert.Equal(FlinkJobStates.Running, h.Flink.FindJob(jobId)!.State);
        Assert.Empty(h.Flink.CancelledJobIds);

        var second = h.CreateManager();
        Assert.Equal(RunState.Running, second.Get(started.Id)!.State);
        Assert.Equal(1, await second.AdoptOrphansAsync(ct));
        Assert.Equal(second.InstanceId, second.Get(started.Id)!.Owner);
        await EngineHarness.WaitUntilAsync(
            () => second.Get(started.Id)!.Warnings.Any(w => w.Contains("Re-attached", StringComparison.Ordinal)), "the run is re-attached");
        Assert.Equal(RunState.Running, second.Get(started.Id)!.State);

        h.Flink.SetJobState(jobId, FlinkJobStates.Finished);
        var run = await second.WaitAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(jobId, run.FlinkJobId);
        Assert.Equal(FlinkJobStates.Finished, run.FlinkState);
        Assert.Equal(0, await second.AdoptOrphansAsync(ct));
    }

    [Fact]
    public async Task A_run_whose_job_is_gone_is_failed_only_after_the_job_timeout_and_says_what_is_known()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        h.Options.JobTimeout = TimeSpan.FromSeconds(1);
        var now = DateTimeOffset.UtcNow;
        using (var store = RunStore.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "aaaabbbbccccdddd", Pipeline = "succeed", JobName = "succeed-aaaabbbb", State = RunState.Launching,
                CreatedAt = now, UpdatedAt = now, Attempts = 1, Owner = "gone-instance",
            });
            store.Save(new RunRecord
            {
                Id = "eeeeffff00001111", Pipeline = "succeed", JobName = "succeed-eeeeffff", State = RunState.Succeeded,
                CreatedAt = now.AddMinutes(-1), UpdatedAt = now, FinishedAt = now,
            });
        }

        var manager = h.CreateManager();
        Assert.Equal(1, await manager.AdoptOrphansAsync(ct));
        var run = await manager.WaitAsync("aaaabbbbccccdddd", ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.SubmitterRestarted, run.FailureReason);
        Assert.StartsWith("Submitter restarted while the run was Launching; no Flink job named succeed-aaaabbbb appeared within 1 s", run.Error, StringComparison.Ordinal);
        Assert.Equal(RunState.Succeeded, manager.Get("eeeeffff00001111")!.State);
        Assert.Equal(["aaaabbbbccccdddd", "eeeeffff00001111"], manager.Query(new RunQuery()).Runs.Select(r => r.Id));
        await h.StopAsync(manager);
        using var check = RunStore.Open(h.DataDirectory);
        Assert.Equal(RunState.Failed, check.Get("aaaabbbbccccdddd")!.State);
    }

    [Fact]
    public async Task A_run_that_never_launched_before_its_Submitter_stopped_is_failed_at_once_without_launching()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        using (var store = RunStore.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "0000111122223333", Pipeline = "succeed", JobName = "succeed-00001111", State = RunState.WaitingForCluster,
                CreatedAt = now, UpdatedAt = now,
            });
        }

        var manager = h.CreateManager();
        await manager.AdoptOrphansAsync(ct);
        var run = await manager.WaitAsync("0000111122223333", ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.SubmitterRestarted, run.FailureReason);
        Assert.Contains("before the run was launched", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Gate.Calls);
        Assert.Empty(h.Flink.Jobs);
    }

    [Fact]
    public async Task A_run_taken_over_after_its_job_ended_takes_the_jobs_final_state()
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
        await manager.AdoptOrphansAsync(ct);
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
