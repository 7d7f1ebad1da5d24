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
        using (var store = TestHistory.Open(h.DataDirectory))
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
        using var check = TestHistory.Open(h.DataDirectory);
        Assert.Equal(RunState.Failed, check.Get("aaaabbbbccccdddd")!.State);
    }

    [Fact]
    public async Task A_run_accepted_but_never_launched_is_launched_once_by_one_of_two_competing_Submitters_with_its_id_and_job_name()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var output = h.TempFile("echo.json");
        var now = DateTimeOffset.UtcNow;
        using (var store = TestHistory.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "0000111122223333", Pipeline = "echo-args", Args = ["--out", output], JobName = "echo-args-00001111",
                State = RunState.WaitingForCluster, CreatedAt = now, UpdatedAt = now, Owner = "gone-instance",
            });
        }

        var first = h.CreateManager();
        var second = h.CreateManager();
        var taken = await Task.WhenAll(first.AdoptOrphansAsync(ct), second.AdoptOrphansAsync(ct));
        Assert.Equal(1, taken.Sum());
        var owner = taken[0] == 1 ? first : second;
        var run = await owner.WaitAsync("0000111122223333", ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(("echo-args-00001111", owner.InstanceId, 1), (run.JobName, run.Owner, run.Attempts));
        var job = Assert.Single(h.Flink.Jobs);
        Assert.Equal((job.Id, "echo-args-00001111"), (run.FlinkJobId, job.Name));
        Assert.Equal([2], h.Gate.Parallelisms);
        Assert.Equal(["--out", output], ReadArgs(output).TakeLast(2));
        Assert.Contains(run.Warnings, w => w.StartsWith(
            $"Resumed after a Submitter restart: accepted (WaitingForCluster) by Submitter instance gone-instance, which stopped before launching it; launched once by instance {owner.InstanceId}",
            StringComparison.Ordinal));
        Assert.Equal(0, await (owner == first ? second : first).AdoptOrphansAsync(ct));
        Assert.Equal(0, await owner.AdoptOrphansAsync(ct));
    }

    [Fact]
    public async Task A_run_accepted_for_a_pipeline_the_catalog_no_longer_has_fails_when_taken_over_and_nothing_is_launched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        using (var store = TestHistory.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "4444555566667777", Pipeline = "retired", JobName = "retired-44445555", State = RunState.Pending,
                CreatedAt = now, UpdatedAt = now, Owner = "gone-instance",
            });
        }

        var manager = h.CreateManager();
        Assert.Equal(1, await manager.AdoptOrphansAsync(ct));

        var run = manager.Get("4444555566667777")!;
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.SubmitterRestarted, run.FailureReason);
        Assert.Equal(
            "The run was accepted (Pending) by Submitter instance gone-instance, which stopped before launching it, and it cannot be launched now: "
            + "Unknown pipeline 'retired'. The catalog has: succeed, fail, fail-after-finished, hang-after-done, transient, no-job, chatty, echo-args, long-running. It was not launched.",
            run.Error);
        Assert.Equal(0, h.Gate.Calls);
        Assert.Empty(h.Flink.Jobs);
        await h.StopAsync(manager);
        using var check = TestHistory.Open(h.DataDirectory);
        Assert.Equal(RunState.Failed, check.Get("4444555566667777")!.State);
    }

    [Fact]
    public async Task An_active_run_whose_record_is_damaged_is_named_and_left_as_it_is_while_the_others_are_taken_over()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var job = h.Flink.AddJob("succeed-bbbbcccc", FlinkJobStates.Running);
        var now = DateTimeOffset.UtcNow;
        using (var store = TestHistory.Open(h.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "aaaabbbbccccdddd", Pipeline = "succeed", JobName = "succeed-aaaabbbb", State = RunState.Running,
                CreatedAt = now, UpdatedAt = now, Owner = "gone-instance", LastOutput = ["DAMAGED-HERE: this line is overwritten on disk"],
            });
            store.Save(new RunRecord
            {
                Id = "bbbbccccddddeeee", Pipeline = "succeed", JobName = "succeed-bbbbcccc", State = RunState.Running, FlinkJobId = job.Id,
                FlinkState = FlinkJobStates.Running, CreatedAt = now, UpdatedAt = now, Owner = "gone-instance", Attempts = 1,
            });
        }

        var path = Path.Combine(h.DataDirectory, HistoryFile.FileName);
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf("DAMAGED-HERE"u8);
        var damage = System.Text.Encoding.ASCII.GetBytes("\"],]]" + new string('}', 32));
        damage.CopyTo(bytes, at);
        File.WriteAllBytes(path, bytes);

        var manager = h.CreateManager();
        Assert.Equal(1, await manager.AdoptOrphansAsync(ct));
        Assert.Equal(0, await manager.AdoptOrphansAsync(ct));

        using (var check = TestHistory.Open(h.DataDirectory))
        {
            Assert.Equal("aaaabbbbccccdddd", Assert.Single(check.Runs.CheckActive()).RunId);
        }

        Assert.Throws<DamagedRecordException>(() => manager.Get("aaaabbbbccccdddd"));
        Assert.Single(h.Logs.Entries, e => e.Message.Contains("the record of run 'aaaabbbbccccdddd' is damaged", StringComparison.Ordinal));
        h.Flink.SetJobState(job.Id, FlinkJobStates.Finished);
        Assert.Equal(RunState.Succeeded, (await manager.WaitAsync("bbbbccccddddeeee", ct).WaitAsync(EngineHarness.RunTimeout, ct)).State);
        await h.StopAsync(manager);
        Assert.True(File.ReadAllBytes(path).AsSpan().IndexOf(damage) >= 0, "the damaged record was rewritten");
    }

    private static IReadOnlyList<string> ReadArgs(string file) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();

    [Fact]
    public async Task A_run_taken_over_after_its_job_ended_takes_the_jobs_final_state()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var job = h.Flink.AddJob("fail-12345678", FlinkJobStates.Failed);
        h.Flink.SetJobException(job.Id, "java.lang.IllegalStateException", "java.lang.IllegalStateException: Worker lost");
        var now = DateTimeOffset.UtcNow;
        using (var store = TestHistory.Open(h.DataDirectory))
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
        var path = Path.Combine(h.DataDirectory, HistoryFile.FileName);
        var garbage = "this is not a database, just some text someone wrote here\n"u8.ToArray();
        File.WriteAllBytes(path, garbage);

        var error = Assert.Throws<RunStoreException>(() => h.CreateManager());

        Assert.Equal(path, error.FilePath);
        Assert.Contains("is not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains("left untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(path));
        Assert.Equal([HistoryFile.FileName], Directory.GetFiles(h.DataDirectory).Select(Path.GetFileName));
    }
}
