using System.Runtime.InteropServices;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// Several real Submitter processes on one data directory: a run belongs to the Submitter that launched it, which alone
/// cancels it; only runs whose Submitter is gone are taken over, and a crash while launching loses nothing.
/// </summary>
public sealed class OwnershipTests : LoopbackClusterTests
{
    [Fact]
    public async Task A_second_service_on_a_data_directory_that_a_live_service_holds_refuses_to_start_naming_both()
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = Cluster.ServiceEnvironment();
        await using var first = await ServiceSubmitterProcess.StartAsync(environment, ct);

        await using var second = SubmitterProcess.Start(["serve", "--urls=http://127.0.0.1:0"], environment: environment);
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{second.Stdout}\n{second.Stderr}");
        Assert.Contains(
            $"The Submitter cannot start: The data directory {Cluster.DataDirectory} is in use by Submitter serve (process {first.Process.Id} on {Environment.MachineName}",
            second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr + second.Stdout, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await first.GetAsync("/alive")).Status);
    }

    [Fact]
    public async Task A_service_stopped_with_SIGTERM_cancels_its_own_runs_and_leaves_a_command_line_run_on_the_same_directory_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = Cluster.ServiceEnvironment();
        await using var service = await ServiceSubmitterProcess.StartAsync(environment, ct);
        await using var cli = SubmitterProcess.Start(["run", "forever", .. Cluster.ClusterFlags(), "--data-dir", Cluster.DataDirectory, "--grace", "5"]);
        await EngineHarness.WaitUntilAsync(() => Cluster.Flink.Jobs.Any(j => j.State == FlinkJobStates.Running), "the command line's job runs");
        var cliJob = Assert.Single(Cluster.Flink.Jobs);

        var serviceRun = await service.StartRunAsync("forever");
        var running = await service.WaitForRunAsync(serviceRun, r => ServiceSubmitterProcess.State(r) == "Running", "is Running");
        var serviceJob = running.GetProperty("flinkJobId").GetString()!;

        // Both runs are in the one history, each with its own owner; the service did not take the live one over.
        var runs = (await service.GetAsync("/runs")).Json.EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal(2, runs.Select(r => r.GetProperty("owner").GetString()).Distinct().Count());
        var cliRun = runs.Single(r => r.GetProperty("id").GetString() != serviceRun).GetProperty("id").GetString()!;
        var refused = await service.PostAsync($"/runs/{cliRun}/cancel");
        Assert.Contains("is supervised by another Submitter", refused.AssertProblem(System.Net.HttpStatusCode.Conflict).GetProperty("detail").GetString(), StringComparison.Ordinal);

        service.Process.Signal(PosixSignal.SIGTERM);
        Assert.Equal(0, await service.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), ct));

        Assert.Equal([serviceJob], Cluster.Flink.CancelledJobIds);
        Assert.Equal(FlinkJobStates.Running, Cluster.Flink.FindJob(cliJob.Id)!.State);
        Assert.False(cli.HasExited);

        Cluster.Flink.SetJobState(cliJob.Id, FlinkJobStates.Finished);
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromSeconds(60), ct));
    }

    [Fact]
    public async Task Two_command_line_runs_started_at_once_on_the_default_data_directory_both_complete_each_with_its_own_job()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = Path.Combine(Cluster.Root, "work");
        Directory.CreateDirectory(work);
        List<string> args = ["run", "ok", .. Cluster.ClusterFlags(), "--json", "--", "--run_ms", "1500"];

        var results = await Task.WhenAll(
            SubmitterProcess.RunAsync(args, ct, workingDirectory: work),
            SubmitterProcess.RunAsync(args, ct, workingDirectory: work));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stderr}"));
        var records = results.Select(r => JsonDocument.Parse(r.Stdout).RootElement).ToList();
        Assert.All(records, r => Assert.Equal("Succeeded", r.GetProperty("state").GetString()));
        Assert.NotEqual(records[0].GetProperty("flinkJobId").GetString(), records[1].GetProperty("flinkJobId").GetString());
        Assert.Equal(2, Cluster.Flink.Jobs.Count(j => j.State == FlinkJobStates.Finished));
        Assert.Empty(Cluster.Flink.CancelledJobIds);

        var history = await SubmitterProcess.RunAsync(["runs", "--json"], ct, workingDirectory: work);
        Assert.Equal(0, history.ExitCode);
        Assert.Equal(
            records.Select(r => r.GetProperty("id").GetString()).Order(),
            JsonDocument.Parse(history.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());
    }

    [Fact]
    public async Task A_run_launching_when_its_service_crashed_is_taken_over_its_orphaned_client_ended_and_its_job_followed_to_the_end()
    {
        var ct = TestContext.Current.CancellationToken;
        Cluster.WriteCatalog(("slow", "slow_submit.py", 1, ["--pids", Path.Combine(Cluster.PidDirectory, "{runId}.pid"), "--delay_ms", "3000", "--run_ms", "1500"]));
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__JobTimeout"] = "00:01:00";
        string id;
        int orphan;
        await using (var crashed = await ServiceSubmitterProcess.StartAsync(environment, ct))
        {
            id = await crashed.StartRunAsync("slow");
            await EngineHarness.WaitUntilAsync(() => Cluster.ClientPid(id) is not null, "the client has started");
            orphan = Cluster.ClientPid(id)!.Value;
            var launching = (await crashed.GetAsync($"/runs/{id}")).Json;
            Assert.Equal("Launching", ServiceSubmitterProcess.State(launching));
            Assert.Equal(orphan, launching.GetProperty("clientProcessId").GetInt32());
            await crashed.Process.CrashAsync(ct);
        }

        Assert.True(SubmitterProcess.IsAlive(orphan), "the client outlives the crashed Submitter");
        Assert.Empty(Cluster.Flink.Jobs);

        await using var restarted = await ServiceSubmitterProcess.StartAsync(environment, ct);
        var run = await restarted.WaitForEndAsync(id);

        Assert.True(ServiceSubmitterProcess.State(run) == "Succeeded", run.ToString());
        var job = Assert.Single(Cluster.Flink.Jobs);
        Assert.Equal(job.Id, run.GetProperty("flinkJobId").GetString());
        var warnings = run.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.StartsWith($"Re-attached to Flink job {job.Id}", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"The client started before the Submitter restarted (process {orphan}) cannot be followed; it was ended", StringComparison.Ordinal));
        await EngineHarness.WaitUntilAsync(() => !SubmitterProcess.IsAlive(orphan), "the orphaned client is gone");
        Assert.Empty(Cluster.Flink.CancelledJobIds);
    }
}
