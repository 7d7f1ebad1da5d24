using System.Net;
using System.Runtime.InteropServices;
using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Submitter.Tests;

/// <summary>SIGTERM to the real Submitter process in service mode, and the history a restarted one reads.</summary>
public sealed class ServiceShutdownTests : CliTestClusterTests
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
        Assert.All(pids, pid => Assert.False(CliSubmitterProcess.IsAlive(pid), $"client {pid} is still alive"));

        // A new Submitter on the same data directory reads what the first one wrote before it exited.
        await using var restarted = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct);
        var runs = (await restarted.GetAsync("/runs")).Json.EnumerateArray().ToList();
        Assert.Equal(ids.Order(), runs.Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(runs, r => Assert.Equal("Cancelled", ServiceSubmitterProcess.State(r)));
        Assert.All(runs, r => Assert.Equal(FlinkJobStates.Canceled, r.GetProperty("flinkState").GetString()));
        var again = await restarted.PostAsync($"/runs/{ids[0]}/cancel");
        again.AssertProblem(HttpStatusCode.Conflict);
    }
}
