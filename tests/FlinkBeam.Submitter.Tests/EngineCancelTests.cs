using FlinkBeam.Submitter.Store;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Runs;

namespace FlinkBeam.Submitter.Tests;

public sealed class EngineCancelTests
{
    [Fact]
    public async Task Cancelling_a_running_run_cancels_the_flink_job_and_ends_the_client()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var pids = h.TempFile("pid");
        var started = await manager.StartAsync(new RunRequest("long-running", ["--pids", pids]), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.Running && File.Exists(pids), "the run is Running");
        var pid = int.Parse(File.ReadAllText(pids).Trim());

        var cancelled = await manager.CancelAsync(started.Id, ct);

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Null(cancelled.FailureReason);
        Assert.Equal(RunRecordJson.Serialize(cancelled), RunRecordJson.Serialize(manager.Get(started.Id)!));
        var job = Assert.Single(h.Flink.Jobs);
        Assert.Equal(job.Id, cancelled.FlinkJobId);
        Assert.Equal([job.Id], h.Flink.CancelledJobIds);
        Assert.Equal(FlinkJobStates.Canceled, job.State);
        Assert.Equal(FlinkJobStates.Canceled, cancelled.FlinkState);
        await EngineHarness.WaitUntilAsync(() => !EngineHarness.IsAlive(pid), "the client is gone");
        Assert.Equal("Cancelled", h.Transitions(started.Id)[^1].To);

        var again = await Assert.ThrowsAsync<RunNotActiveException>(() => manager.CancelAsync(started.Id, ct));
        Assert.Equal(RunState.Cancelled, again.State);
        Assert.Single(h.Flink.CancelledJobIds);
    }

    [Fact]
    public async Task Cancelling_uses_the_job_api_when_the_beam_job_is_known_and_makes_sure_flink_stops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        h.Timings = h.Timings with { CancelSettle = TimeSpan.FromMilliseconds(500) };
        var manager = h.CreateManager();
        var started = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid")]), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.Running, "the run is Running");
        var beamJobId = $"{started.JobName}_{Guid.NewGuid()}";
        h.Beam.AddJob(beamJobId, started.JobName, BeamJobState.Running);

        var cancelled = await manager.CancelAsync(started.Id, ct);

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal(beamJobId, cancelled.BeamJobId);
        Assert.Equal([beamJobId], h.Beam.CancelledJobIds);
        // The fake job server does not drive the fake Flink cluster, so Flink is told directly as well.
        Assert.Equal([cancelled.FlinkJobId!], h.Flink.CancelledJobIds);
    }

    [Fact]
    public async Task Cancelling_a_run_waiting_for_the_cluster_launches_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        h.Gate.Block();
        var manager = h.CreateManager();
        var started = await manager.StartAsync(new RunRequest("succeed"), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.WaitingForCluster && h.Gate.Calls == 1, "the run waits for the gate");

        var cancelled = await manager.CancelAsync(started.Id, ct);

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal(0, cancelled.Attempts);
        Assert.Empty(h.Flink.Jobs);
        Assert.Empty(h.Flink.CancelledJobIds);
    }

    [Fact]
    public async Task Cancelling_an_unknown_run_says_so()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var error = await Assert.ThrowsAsync<RunNotFoundException>(() => manager.CancelAsync("0123456789abcdef", TestContext.Current.CancellationToken));

        Assert.Equal("0123456789abcdef", error.RunId);
        await Assert.ThrowsAsync<RunNotFoundException>(() => manager.WaitAsync("nope", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Concurrent_cancels_of_one_run_share_one_cancellation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var started = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid")]), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.Running, "the run is Running");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => manager.CancelAsync(started.Id, ct)));

        Assert.All(results, r => Assert.Equal(RunState.Cancelled, r.State));
        Assert.Single(h.Flink.CancelledJobIds);
        Assert.Single(h.Transitions(started.Id), t => t.To == "Cancelled");
    }

    [Fact]
    public async Task A_job_cancelled_by_someone_else_ends_the_run_cancelled_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var started = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid")]), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.Running, "the run is Running");

        h.Flink.SetJobState(manager.Get(started.Id)!.FlinkJobId!, FlinkJobStates.Canceled);
        var run = await manager.WaitAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal(RunFailureReason.JobCancelledExternally, run.FailureReason);
        Assert.Contains("cancelled outside this Submitter", run.Error, StringComparison.Ordinal);
        Assert.Empty(h.Flink.CancelledJobIds);
    }

    [Fact]
    public async Task Shutdown_cancels_every_active_run_and_refuses_new_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var first = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid1")]), ct);
        var second = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile("pid2")]), ct);
        await EngineHarness.WaitUntilAsync(
            () => manager.Get(first.Id)!.State == RunState.Running && manager.Get(second.Id)!.State == RunState.Running, "both runs are Running");

        await manager.ShutdownAsync(cancelActive: true, ct);

        Assert.Equal(RunState.Cancelled, manager.Get(first.Id)!.State);
        Assert.Equal(RunState.Cancelled, manager.Get(second.Id)!.State);
        Assert.Equal(2, h.Flink.CancelledJobIds.Count);
        Assert.All(h.Flink.Jobs, j => Assert.Equal(FlinkJobStates.Canceled, j.State));
        foreach (var file in new[] { "pid1", "pid2" })
        {
            var pid = int.Parse(File.ReadAllText(h.TempFile(file)).Trim());
            await EngineHarness.WaitUntilAsync(() => !EngineHarness.IsAlive(pid), $"client {pid} is gone");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.StartAsync(new RunRequest("succeed"), ct));
    }
}
