using System.Globalization;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The real RunManager against the loopback Flink fake, with real Python clients that behave like Beam clients.</summary>
public sealed class EngineRunTests
{
    [Fact]
    public async Task A_client_whose_job_finishes_makes_the_run_succeed_through_every_state()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "succeed");

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Null(run.Error);
        Assert.Null(run.FailureReason);
        Assert.Equal(0, run.ClientExitCode);
        Assert.Equal(1, run.Attempts);
        Assert.StartsWith("succeed-", run.JobName, StringComparison.Ordinal);
        var job = Assert.Single(h.Flink.Jobs);
        Assert.Equal(run.JobName, job.Name);
        Assert.Equal(job.Id, run.FlinkJobId);
        Assert.Equal(FlinkJobStates.Finished, run.FlinkState);
        Assert.Contains(run.LastOutput, l => l.Contains("Job state changed to FINISHED", StringComparison.Ordinal));
        Assert.NotNull(run.LaunchedAt);
        Assert.NotNull(run.SubmittedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal([1], h.Gate.Parallelisms);

        var states = h.Transitions(run.Id);
        Assert.Equal(
            ["Pending", "WaitingForCluster", "Launching", "Submitted", "Running"],
            states.Select(t => t.From).ToArray());
        Assert.Equal("Succeeded", states[^1].To);

        // What callers saw is what the history holds.
        using var store = TestHistory.Open(h.DataDirectory);
        var stored = store.Get(run.Id);
        Assert.NotNull(stored);
        Assert.Equal(RunRecordJson.Serialize(run), RunRecordJson.Serialize(stored));
    }

    [Fact]
    public async Task A_failed_job_fails_the_run_with_flinks_root_exception()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "fail");

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.JobFailed, run.FailureReason);
        Assert.Equal(FlinkJobStates.Failed, run.FlinkState);
        Assert.Contains("java.lang.RuntimeException: Boom in ParDo(SplitWords)", run.Error, StringComparison.Ordinal);
        Assert.Contains(run.FlinkJobId!, run.Error, StringComparison.Ordinal);
        Assert.Equal(1, run.Attempts);
    }

    [Fact]
    public async Task A_client_that_fails_after_its_job_finished_is_a_success_with_a_warning()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "fail-after-finished");

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(3, run.ClientExitCode);
        Assert.Equal(FlinkJobStates.Finished, run.FlinkState);
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("exited with code 3", warning, StringComparison.Ordinal);
        Assert.Contains(run.LastOutput, l => l.Contains("AttributeError", StringComparison.Ordinal));
        Assert.Single(h.Flink.Jobs);
    }

    [Fact]
    public async Task A_client_that_hangs_after_done_is_ended_with_its_children_after_the_grace_period()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var pids = h.TempFile("pids");

        var run = await EngineHarness.RunToEndAsync(manager, "hang-after-done", "--pids", pids);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(FlinkJobStates.Finished, run.FlinkState);
        Assert.Contains(run.Warnings, w => w.Contains("still running", StringComparison.Ordinal) && w.Contains("FINISHED", StringComparison.Ordinal));
        Assert.NotEqual(0, run.ClientExitCode);
        var ids = File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.Equal(2, ids.Length);
        await EngineHarness.WaitUntilAsync(() => ids.All(id => !EngineHarness.IsAlive(id)), "the client and its child are gone");
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("grpc")]
    public async Task A_transient_failure_before_any_job_is_retried_and_the_job_runs_once(string signature)
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var state = h.TempFile("attempts");

        var run = await EngineHarness.RunToEndAsync(manager, "transient", "--state_file", state, "--failures", "1", "--signature", signature);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(0, run.ClientExitCode);
        Assert.Equal(2, File.ReadAllLines(state).Length);
        Assert.Single(h.Flink.Jobs, j => j.Name == run.JobName);
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("known transient error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transient_failures_are_retried_at_most_the_configured_number_of_times()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Options.Retries = 2;
        var manager = h.CreateManager();
        var state = h.TempFile("attempts");

        var run = await EngineHarness.RunToEndAsync(manager, "transient", "--state_file", state, "--failures", "10");

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.ClientFailed, run.FailureReason);
        Assert.Equal(3, run.Attempts);
        Assert.Equal(3, File.ReadAllLines(state).Length);
        Assert.Equal(1, run.ClientExitCode);
        Assert.Contains("GetJobMetrics() missing 1 required positional argument", run.Error, StringComparison.Ordinal);
        Assert.Contains("all 2 retries were used", run.Error, StringComparison.Ordinal);
        Assert.Empty(h.Flink.Jobs);
    }

    [Fact]
    public async Task A_client_failing_without_a_transient_signature_is_not_retried()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "no-job", "--exit_code", "2", "--message", "ValueError: --input must name a file");

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.ClientFailed, run.FailureReason);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(2, run.ClientExitCode);
        Assert.Contains("exited with code 2 before any Flink job named " + run.JobName, run.Error, StringComparison.Ordinal);
        Assert.Contains("ValueError: --input must name a file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_exits_0_without_ever_creating_a_job_fails_clearly()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "no-job");

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.ClientFailed, run.FailureReason);
        Assert.Equal(0, run.ClientExitCode);
        Assert.Equal($"The client exited with code 0 but no Flink job named {run.JobName} appeared.", run.Error);
        Assert.Equal(1, run.Attempts);
    }

    [Fact]
    public async Task A_run_whose_Flink_stops_answering_times_out_after_the_job_timeout_and_its_cancellation_is_attempted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        // Long enough for the client to create its job on a loaded machine; Flink's silence must outlast it.
        h.Options.JobTimeout = TimeSpan.FromSeconds(5);
        var manager = h.CreateManager();
        var pids = h.TempFile("pid");
        var started = await manager.StartAsync(new RunRequest("long-running", ["--pids", pids]), ct);
        await EngineHarness.WaitUntilAsync(() => manager.Get(started.Id)!.State == RunState.Running, "the run is Running");
        var jobId = manager.Get(started.Id)!.FlinkJobId!;

        // Flink's REST API goes silent for the Submitter (the fake's own control endpoints keep working for the client).
        h.Flink.Interceptor = async context =>
        {
            if (context.Request.Path.StartsWithSegments("/__fake"))
            {
                return false;
            }

            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("{\"errors\":[\"Service temporarily unavailable\"]}", ct);
            return true;
        };
        var run = await manager.WaitAsync(started.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct);

        Assert.Equal(RunState.TimedOut, run.State);
        Assert.Equal(RunFailureReason.FlinkUnreachable, run.FailureReason);
        Assert.StartsWith($"Flink did not answer for 5 s while job {jobId} was RUNNING; the client was ended and the job's cancellation was attempted.", run.Error, StringComparison.Ordinal);
        Assert.Contains(run.Warnings, w => w.StartsWith($"Flink did not accept the cancellation of job {jobId}: Flink REST PATCH", StringComparison.Ordinal));
        Assert.Contains(run.Warnings, w => w == $"Cancellation of the run's job: Flink job {jobId} was asked to cancel but is still RUNNING.");
        var pid = int.Parse(File.ReadAllText(pids).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await EngineHarness.WaitUntilAsync(() => !EngineHarness.IsAlive(pid), "the client is gone");
    }

    [Fact]
    public async Task A_client_that_never_creates_a_job_times_out_and_is_ended()
    {
        await using var h = await EngineHarness.StartAsync();
        // Long enough for the client to start and write its pid on a loaded machine; the run must still time out.
        h.Options.JobTimeout = TimeSpan.FromSeconds(5);
        var manager = h.CreateManager();
        var pids = h.TempFile("pid");

        var started = await manager.StartAsync(new RunRequest("no-job", ["--sleep", "-1", "--pids", pids]), TestContext.Current.CancellationToken);
        var run = await manager.WaitAsync(started.Id, TestContext.Current.CancellationToken).WaitAsync(EngineHarness.RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(RunState.TimedOut, run.State);
        Assert.Equal(RunFailureReason.JobTimeout, run.FailureReason);
        Assert.Contains($"No Flink job named {run.JobName} appeared within 5 s", run.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ClientExitCode);
        var pid = int.Parse(File.ReadAllText(pids).Trim());
        await EngineHarness.WaitUntilAsync(() => !EngineHarness.IsAlive(pid), "the client is gone");
    }

    [Fact]
    public async Task A_client_printing_a_lot_fast_does_not_block_and_only_the_last_lines_are_kept()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "chatty", "--lines", "200000");

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.InRange(run.LastOutput.Count, 2, 50);
        Assert.Equal("last line after 200000 lines", run.LastOutput[^1]);
        var clientLines = h.Logs.Entries.Where(e => e.Category == "FlinkBeam.Submitter.Client").ToList();
        Assert.NotEmpty(clientLines);
        Assert.All(clientLines, e =>
        {
            Assert.Equal("chatty", e.Scope["Pipeline"]);
            Assert.Equal(run.Id, e.Scope["RunId"]);
        });
        // Every progress line is either logged, in the order printed, or counted in a warning: a loaded machine may drop
        // the oldest lines while logging catches up, but never silently and never out of order.
        List<int> Logged(string stream) => clientLines
            .Select(e => e.Message)
            .Where(m => m.StartsWith($"[{stream}] progress line ", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Split(' ')[3], CultureInfo.InvariantCulture))
            .ToList();
        var stdout = Logged("stdout");
        var stderr = Logged("stderr");
        var dropped = clientLines
            .Where(e => e.Level == LogLevel.Warning && e.Message.EndsWith("client output lines were not logged because the client printed faster than the logs accepted them", StringComparison.Ordinal))
            .Sum(e => long.Parse(e.Message.Split(' ')[0], CultureInfo.InvariantCulture));
        Assert.NotEmpty(stdout.Concat(stderr));
        Assert.Equal(stdout.Order(), stdout);
        Assert.Equal(stderr.Order(), stderr);
        Assert.InRange(stdout.Count + stderr.Count + dropped, 200000, 200000 + 10);
    }

    [Fact]
    public async Task Arguments_reach_the_client_verbatim_after_the_owned_options_and_catalog_args()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var output = h.TempFile("argv.json");
        string[] tricky =
        [
            "--note", "$(touch pwned)", "; touch pwned2", "| cat /etc/passwd", "it's \"quoted\"", "two  spaces", "`id`", "*", "",
            "--out", output,
        ];

        var run = await EngineHarness.RunToEndAsync(manager, "echo-args", tricky);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(tricky, run.Args);
        using var echoed = JsonDocument.Parse(File.ReadAllText(output));
        var argv = echoed.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray();
        string[] owned =
        [
            "--runner=PortableRunner", $"--job_endpoint={h.Beam.HostAndPort}", "--environment_type=EXTERNAL",
            "--environment_config=localhost:50000", $"--job_name={run.JobName}", "--parallelism=2",
        ];
        string[] catalogArgs = ["--fake_flink", h.Flink.RestUrl.ToString(), "--run_ms", "150"];
        Assert.Equal([.. owned, .. catalogArgs, .. tricky], argv);
        Assert.Equal(Path.GetFullPath(h.CatalogFolder), echoed.RootElement.GetProperty("cwd").GetString());
        Assert.Equal("1", echoed.RootElement.GetProperty("unbuffered").GetString());
        Assert.False(File.Exists(Path.Combine(h.CatalogFolder, "pwned")));
        Assert.False(File.Exists(Path.Combine(h.CatalogFolder, "pwned2")));
        Assert.Equal([2], h.Gate.Parallelisms);
    }

    [Fact]
    public async Task Catalog_placeholders_are_replaced_by_the_run_id_and_job_name()
    {
        await using var h = await EngineHarness.StartAsync();
        var output = h.TempFile("argv.json");
        h.WriteCatalog(h.Pipeline("echo", "echo_args.py", 1, "--output", "/outputs/echo/{runId}/counts", "--tag={jobName}", "--out", output));
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "echo");

        using var echoed = JsonDocument.Parse(File.ReadAllText(output));
        var argv = echoed.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains($"/outputs/echo/{run.Id}/counts", argv);
        Assert.Contains($"--tag={run.JobName}", argv);
        Assert.Empty(run.Args);
    }

    [Fact]
    public async Task Flink_mode_passes_flink_master_version_and_the_uber_jar_flag_to_the_client()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Options.Mode = FlinkBeam.Cluster.Pipelines.RunnerMode.Flink;
        var manager = h.CreateManager();
        var output = h.TempFile("argv.json");

        var run = await EngineHarness.RunToEndAsync(manager, "echo-args", "--out", output);

        Assert.Equal(RunState.Succeeded, run.State);
        using var echoed = JsonDocument.Parse(File.ReadAllText(output));
        var argv = echoed.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal("--runner=FlinkRunner", argv[0]);
        Assert.Contains($"--flink_master=http://{h.Flink.HostAndPort}", argv);
        Assert.Contains("--flink_version=1.20", argv);
        Assert.Contains("--flink_submit_uber_jar", argv);
        Assert.DoesNotContain(argv, a => a!.StartsWith("--job_endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_job_whose_name_the_runner_decorated_is_still_found()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "succeed", "--decorate");

        Assert.Equal(RunState.Succeeded, run.State);
        var job = Assert.Single(h.Flink.Jobs);
        Assert.NotEqual(run.JobName, job.Name);
        Assert.Contains(run.JobName, job.Name, StringComparison.Ordinal);
        Assert.Equal(job.Id, run.FlinkJobId);
    }

    [Fact]
    public async Task A_missing_interpreter_fails_the_run_naming_it()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Options.PythonPath = Path.Combine(h.Root, "no-such-python");
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "succeed");

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.ClientStartFailed, run.FailureReason);
        Assert.Contains(h.Options.PythonPath, run.Error, StringComparison.Ordinal);
        Assert.Empty(h.Flink.Jobs);
    }

    [Fact]
    public async Task A_cluster_that_is_not_ready_fails_the_run_without_launching_it()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Gate.Ready = false;
        var manager = h.CreateManager();

        var run = await EngineHarness.RunToEndAsync(manager, "succeed");

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(RunFailureReason.ClusterNotReady, run.FailureReason);
        Assert.Contains("flink-slots: expected >= 1 slots available, saw 0 available", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, run.Attempts);
        Assert.Null(run.LaunchedAt);
        Assert.Empty(h.Flink.Jobs);
    }
}
