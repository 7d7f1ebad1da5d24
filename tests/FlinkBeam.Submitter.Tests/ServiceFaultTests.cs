using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// The real service (<c>Submitter serve</c>) when its history fails it: damaged records, a data directory that fills
/// up (a small tmpfs of its own), and a restart that finds runs it accepted but never launched.
/// </summary>
public sealed class ServiceFaultTests : LoopbackClusterTests
{
    [Fact]
    public async Task A_damaged_record_is_a_problem_naming_the_run_and_the_file_and_a_start_names_a_damaged_active_run()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        RunRecord Run(int i, RunState state, string line) => new()
        {
            Id = $"{i:d4}aaaabbbbcccc", Pipeline = "ok", JobName = $"ok-{i:d4}aaaa", State = state, CreatedAt = start.AddMinutes(i),
            UpdatedAt = start.AddMinutes(i), Owner = "gone-instance", LastOutput = [line],
        };

        using (var store = TestHistory.Open(Cluster.DataDirectory))
        {
            store.Save(Run(1, RunState.Succeeded, "an intact run"));
            store.Save(Run(2, RunState.Succeeded, "DAMAGED-TERMINAL: overwritten on disk by something else"));
            store.Save(Run(3, RunState.Running, "DAMAGED-ACTIVE: overwritten on disk by something else"));
        }

        var file = Path.Combine(Cluster.DataDirectory, HistoryFile.FileName);
        var bytes = File.ReadAllBytes(file);
        foreach (var marker in new[] { "DAMAGED-TERMINAL", "DAMAGED-ACTIVE" })
        {
            Encoding.ASCII.GetBytes("\u0000\u0001\"}" + new string('#', 33)).CopyTo(bytes, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)));
        }

        File.WriteAllBytes(file, bytes);
        var damage = Encoding.ASCII.GetBytes("\u0000\u0001\"}" + new string('#', 33));

        await using (var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct))
        {
            await service.Process.WaitForOutputAsync(l => l.Contains("active runs in", StringComparison.Ordinal), TimeSpan.FromSeconds(60), ct);
            Assert.Contains($"1 active runs in {file} cannot be read (0003aaaabbbbcccc): they are left as they are, never taken over or rewritten", service.Process.Stdout, StringComparison.Ordinal);

            var one = (await service.GetAsync("/runs/0002aaaabbbbcccc")).AssertProblem(HttpStatusCode.InternalServerError);
            Assert.Equal("A run's record is damaged", one.GetProperty("title").GetString());
            Assert.Equal(("0002aaaabbbbcccc", file), (one.GetProperty("runId").GetString(), one.GetProperty("file").GetString()));
            Assert.Equal($"Run history '{file}': the record of run '0002aaaabbbbcccc' is damaged (its checksum does not match its content). "
                + "It was left as it is; the other runs can still be read.", one.GetProperty("detail").GetString());

            var page = (await service.GetAsync("/runs")).AssertProblem(HttpStatusCode.InternalServerError);
            Assert.Equal("0003aaaabbbbcccc", page.GetProperty("runId").GetString());
            var after = await service.GetAsync($"/runs?after={Uri.EscapeDataString(new RunCursor(start.AddMinutes(2).UtcTicks, "0002aaaabbbbcccc").ToString())}");
            Assert.Equal(HttpStatusCode.OK, after.Status);
            Assert.Equal(["0001aaaabbbbcccc"], after.Json.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
            Assert.Equal("0003aaaabbbbcccc", (await service.GetAsync("/runs?state=Running&limit=1")).AssertProblem(HttpStatusCode.InternalServerError).GetProperty("runId").GetString());

            service.Process.Signal(PosixSignal.SIGTERM);
            Assert.Equal(0, await service.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), ct));
            Assert.DoesNotContain("   at ", service.Process.Stdout + service.Process.Stderr, StringComparison.Ordinal);
            Assert.Single(service.Process.Stdout.Split('\n'), l => l.Contains("the record of run '0002aaaabbbbcccc' is damaged", StringComparison.Ordinal));
        }

        // Neither record was rewritten.
        bytes = File.ReadAllBytes(file);
        Assert.Equal(2, Count(bytes, damage));
    }

    [Fact]
    public async Task On_a_full_disk_runs_end_as_their_jobs_do_a_new_run_is_a_507_problem_and_SIGTERM_exits_0_naming_what_was_not_written()
    {
        var ct = TestContext.Current.CancellationToken;
        using var disk = SmallDisk.TryMount(8, out var reason);
        Assert.SkipWhen(disk is null, reason);
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__DataDirectory"] = disk.DataDirectory;
        string finished, cancelled;
        await using (var service = await ServiceSubmitterProcess.StartAsync(environment, ct))
        {
            finished = await service.StartRunAsync("forever");
            cancelled = await service.StartRunAsync("forever");
            var finishedJob = (await service.WaitForRunAsync(finished, r => ServiceSubmitterProcess.State(r) == "Running", "is Running")).GetProperty("flinkJobId").GetString()!;
            await service.WaitForRunAsync(cancelled, r => ServiceSubmitterProcess.State(r) == "Running", "is Running");

            disk.Fill();
            var refused = (await service.PostAsync("/runs", """{"pipeline":"ok"}""")).AssertProblem(HttpStatusCode.InsufficientStorage);
            Assert.Equal("The data directory is full", refused.GetProperty("title").GetString());
            Assert.Equal(disk.DataDirectory, refused.GetProperty("dataDirectory").GetString());
            Assert.True(refused.GetProperty("freeBytes").GetInt64() < 4096, refused.ToString());
            Assert.Contains($"the data directory {disk.DataDirectory} has no room for it (", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

            Cluster.Flink.SetJobState(finishedJob, FlinkJobStates.Finished);
            await service.WaitForRunAsync(finished, r => ServiceSubmitterProcess.State(r) == "Succeeded", "is Succeeded");
            var cancel = await service.PostAsync($"/runs/{cancelled}/cancel");
            Assert.True(cancel.Status == HttpStatusCode.OK, cancel.ToString());
            Assert.Equal("Cancelled", ServiceSubmitterProcess.State(cancel.Json));
            Assert.Equal(2, (await service.GetAsync("/runs")).Json.GetArrayLength());

            service.Process.Signal(PosixSignal.SIGTERM);
            var exitCode = await service.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.True(exitCode == 0, $"exit {exitCode}\n{service.Process.Stdout}\n{service.Process.Stderr}");
            var line = Assert.Single(service.Process.Stdout.Split('\n'), l => l.Contains("records could not be written to", StringComparison.Ordinal));
            Assert.Contains("2 runs' records could not be written to", line, StringComparison.Ordinal);
            Assert.Contains($"{finished} (Succeeded)", line, StringComparison.Ordinal);
            Assert.Contains($"{cancelled} (Cancelled)", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", service.Process.Stdout + service.Process.Stderr, StringComparison.Ordinal);
        }

        // The next Submitter on the directory learns the truth again from the jobs.
        disk.Free();
        await using var restarted = await ServiceSubmitterProcess.StartAsync(environment, ct);
        Assert.Equal("Succeeded", ServiceSubmitterProcess.State(await restarted.WaitForEndAsync(finished)));
        Assert.Equal("Cancelled", ServiceSubmitterProcess.State(await restarted.WaitForEndAsync(cancelled)));
        Assert.Equal(2, Cluster.Flink.Jobs.Count);
    }

    [Fact]
    public async Task A_run_accepted_while_the_cluster_was_not_ready_is_launched_once_by_the_next_service_after_a_crash()
    {
        var ct = TestContext.Current.CancellationToken;
        Cluster.Flink.TaskManagers = 0;
        string id, jobName;
        await using (var crashed = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct))
        {
            var accepted = await crashed.PostAsync("/runs", """{"pipeline":"echo","args":["--note","kept"]}""");
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            id = accepted.Json.GetProperty("id").GetString()!;
            jobName = accepted.Json.GetProperty("jobName").GetString()!;
            await crashed.WaitForRunAsync(id, r => ServiceSubmitterProcess.State(r) == "WaitingForCluster", "waits for the cluster");
            await crashed.Process.CrashAsync(ct);
        }

        Cluster.Flink.TaskManagers = 1;
        await using var restarted = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct);
        var run = await restarted.WaitForEndAsync(id);

        Assert.True(ServiceSubmitterProcess.State(run) == "Succeeded", run.ToString());
        Assert.Equal(jobName, run.GetProperty("jobName").GetString());
        var job = Assert.Single(Cluster.Flink.Jobs);
        Assert.Equal((jobName, job.Id), (job.Name, run.GetProperty("flinkJobId").GetString()));
        Assert.Equal(["--note", "kept"], Cluster.EchoedArguments(id).TakeLast(2));
        Assert.Contains(run.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith(
            "Resumed after a Submitter restart: accepted (WaitingForCluster) by Submitter instance ", StringComparison.Ordinal));
        Assert.Contains($"Resuming run {id} ({jobName}, WaitingForCluster)", restarted.Process.Stdout, StringComparison.Ordinal);
    }

    private static int Count(byte[] bytes, byte[] part)
    {
        var count = 0;
        for (var span = bytes.AsSpan(); span.IndexOf(part) is var at and >= 0; span = span[(at + part.Length)..])
        {
            count++;
        }

        return count;
    }
}
