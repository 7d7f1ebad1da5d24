using System.Text.RegularExpressions;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// The run manager on a data directory that fills up (a small tmpfs of its own, filled and freed by the test): runs
/// go on and end as their jobs do, nothing they learnt is lost, and new runs are refused saying why.
/// </summary>
public sealed class EngineDiskFullTests
{
    [Fact]
    public async Task A_run_whose_job_finishes_while_the_disk_is_full_is_Succeeded_at_once_and_on_disk_once_space_returns_and_new_runs_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var disk = SmallDisk.TryMount(8, out var reason);
        Assert.SkipWhen(disk is null, reason);
        await using var h = await EngineHarness.StartAsync();
        var (manager, started) = await RunningOnAsync(h, disk, ct);
        using var other = TestHistory.Open(disk.DataDirectory);

        disk.Fill();
        var refused = await Assert.ThrowsAsync<HistoryFullException>(() => manager.StartAsync(new RunRequest("succeed"), ct));
        h.Flink.SetJobState(manager.Get(started.Id)!.FlinkJobId!, FlinkJobStates.Finished);
        var run = await manager.WaitAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(disk.DataDirectory, refused.DataDirectory);
        Assert.True(refused.FreeBytes < 4096, $"{refused.FreeBytes} bytes free");
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(RunState.Succeeded, manager.Get(started.Id)!.State);
        Assert.Equal(RunState.Running, other.Get(started.Id)!.State);
        Assert.Single(manager.Query(new RunQuery()).Runs);

        disk.Free();
        await EngineHarness.WaitUntilAsync(() => other.Get(started.Id)!.State == RunState.Succeeded, "the final record reaches the file");
        Assert.Equal(RunRecordJson.Serialize(run), RunRecordJson.Serialize(other.Get(started.Id)!));
        Assert.Single(h.Logs.Entries, e => e.Message.StartsWith($"The run history {Path.Combine(disk.DataDirectory, HistoryFile.FileName)} cannot be written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_is_cancelled_while_the_disk_is_full_and_shutdown_names_the_record_it_could_not_write_in_one_line()
    {
        var ct = TestContext.Current.CancellationToken;
        using var disk = SmallDisk.TryMount(8, out var reason);
        Assert.SkipWhen(disk is null, reason);
        await using var h = await EngineHarness.StartAsync();
        var (manager, started) = await RunningOnAsync(h, disk, ct);
        var jobId = manager.Get(started.Id)!.FlinkJobId!;

        disk.Fill();
        var cancelled = await manager.CancelAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);
        await manager.ShutdownAsync(cancelActive: true, ct);

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal([jobId], h.Flink.CancelledJobIds);
        var line = Assert.Single(h.Logs.Entries, e => e.Message.Contains("records could not be written to", StringComparison.Ordinal)).Message;
        Assert.Matches(
            $@"^1 runs' records could not be written to {Regex.Escape(Path.Combine(disk.DataDirectory, HistoryFile.FileName))} yet "
            + $@"\(the data directory {Regex.Escape(disk.DataDirectory)} has no room, \d+ bytes free\): {started.Id} \(Cancelled\)\. "
            + "The next Submitter on this data directory takes these runs over and follows their jobs again.$",
            line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task A_run_admitted_while_the_disk_is_full_starts_its_client_only_once_its_Launching_record_is_on_disk()
    {
        var ct = TestContext.Current.CancellationToken;
        using var disk = SmallDisk.TryMount(8, out var reason);
        Assert.SkipWhen(disk is null, reason);
        await using var h = await EngineHarness.StartAsync();
        h.Options.DataDirectory = disk.DataDirectory;
        var manager = h.CreateManager();
        h.Gate.Block();
        var started = await manager.StartAsync(new RunRequest("succeed"), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.WaitingForCluster && h.Gate.Calls == 1, "the run waits at the gate");
        using var other = TestHistory.Open(disk.DataDirectory);

        disk.Fill();
        h.Gate.Release();
        await EngineHarness.WaitUntilAsync(
            () => h.Logs.Entries.Any(e => e.Message == $"Run {started.Id} launches once its Launching record is written to the history, which cannot be written now"),
            "the run waits for its Launching record");
        // Given every chance to start a client it must not start: none starts while the record cannot be written.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.Equal(RunState.Launching, manager.Get(started.Id)!.State);
        Assert.Equal(RunState.WaitingForCluster, other.Get(started.Id)!.State);
        Assert.Empty(h.Flink.Jobs);

        disk.Free();
        var run = await manager.WaitAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Single(h.Flink.Jobs);
    }

    // A manager whose history is on the small disk, with a long-running run it supervises that has reached Running.
    private static async Task<(RunManager Manager, RunRecord Started)> RunningOnAsync(EngineHarness h, SmallDisk disk, CancellationToken ct)
    {
        h.Options.DataDirectory = disk.DataDirectory;
        var manager = h.CreateManager();
        var started = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid")]), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.Running, "the run is Running");
        return (manager, started);
    }
}
