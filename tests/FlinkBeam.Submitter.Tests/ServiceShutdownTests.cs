using System.Net;
using System.Runtime.InteropServices;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>SIGTERM to the real Submitter process in service mode, and the history a restarted one reads.</summary>
public sealed class ServiceShutdownTests : LoopbackClusterTests
{
    [Fact]
    public async Task SIGTERM_cancels_both_active_runs_on_the_cluster_ends_their_clients_flushes_the_history_and_exits_0()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] ids;
        int[] pids;
        await using (var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct))
        {
            ids = [await service.StartRunAsync("forever"), await service.StartRunAsync("forever")];
            foreach (var id in ids)
            {
                await service.WaitForRunAsync(id, r => ServiceSubmitterProcess.State(r) == "Running" && Cluster.ClientPid(id) is not null, "is Running with its client");
            }

            pids = ids.Select(id => Cluster.ClientPid(id)!.Value).ToArray();
            Assert.Equal(2, Cluster.Flink.Jobs.Count(j => j.State == FlinkJobStates.Running));

            service.Process.Signal(PosixSignal.SIGTERM);
            var exitCode = await service.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);

            Assert.True(exitCode == 0, $"exit {exitCode}\nstdout:\n{service.Process.Stdout}\nstderr:\n{service.Process.Stderr}");
            Assert.Contains("Shutting down: cancelling 2 active runs", service.Process.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(2, Cluster.Flink.Jobs.Count);
        Assert.All(Cluster.Flink.Jobs, j => Assert.Equal(FlinkJobStates.Canceled, j.State));
        Assert.Equal(Cluster.Flink.Jobs.Select(j => j.Id).Order(), Cluster.Flink.CancelledJobIds.Order());
        Assert.All(pids, pid => Assert.False(SubmitterProcess.IsAlive(pid), $"client {pid} is still alive"));

        // A new Submitter on the same data directory reads what the first one wrote before it exited.
        await using var restarted = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct);
        var runs = (await restarted.GetAsync("/runs")).Json.EnumerateArray().ToList();
        Assert.Equal(ids.Order(), runs.Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(runs, r => Assert.Equal("Cancelled", ServiceSubmitterProcess.State(r)));
        Assert.All(runs, r => Assert.Equal(FlinkJobStates.Canceled, r.GetProperty("flinkState").GetString()));
        var again = await restarted.PostAsync($"/runs/{ids[0]}/cancel");
        again.AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task With_CancelOnShutdown_off_SIGTERM_leaves_the_job_running_and_a_restarted_service_follows_it_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__CancelOnShutdown"] = "false";
        string id;
        string jobId;
        await using (var service = await ServiceSubmitterProcess.StartAsync(environment, ct))
        {
            id = await service.StartRunAsync("forever");
            var running = await service.WaitForRunAsync(id, r => ServiceSubmitterProcess.State(r) == "Running", "is Running");
            jobId = running.GetProperty("flinkJobId").GetString()!;

            service.Process.Signal(PosixSignal.SIGTERM);
            var exitCode = await service.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);

            Assert.True(exitCode == 0, $"exit {exitCode}\nstdout:\n{service.Process.Stdout}\nstderr:\n{service.Process.Stderr}");
        }

        Assert.Equal(FlinkJobStates.Running, Cluster.Flink.FindJob(jobId)!.State);
        Assert.Empty(Cluster.Flink.CancelledJobIds);

        await using var restarted = await ServiceSubmitterProcess.StartAsync(environment, ct);
        var reattached = await restarted.WaitForRunAsync(id,
            r => r.GetProperty("warnings").EnumerateArray().Any(w => w.GetString()!.StartsWith("Re-attached", StringComparison.Ordinal)), "is re-attached");
        Assert.Equal("Running", ServiceSubmitterProcess.State(reattached));
        Assert.Contains(reattached.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith($"Re-attached to Flink job {jobId}", StringComparison.Ordinal));

        Cluster.Flink.SetJobState(jobId, FlinkJobStates.Finished);

        var run = await restarted.WaitForEndAsync(id);
        Assert.Equal("Succeeded", ServiceSubmitterProcess.State(run));
        Assert.Equal(jobId, run.GetProperty("flinkJobId").GetString());
        Assert.Single(Cluster.Flink.Jobs);
    }
}
