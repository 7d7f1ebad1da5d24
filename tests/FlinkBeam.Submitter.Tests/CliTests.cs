using System.Runtime.InteropServices;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The command line as a real child process against the loopback fakes, with real Python clients.</summary>
public sealed class CliTests : LoopbackClusterTests
{
    [Fact]
    public async Task Run_of_a_succeeding_pipeline_exits_0_and_prints_the_final_record_as_one_JSON_object()
    {
        var (exitCode, stdout, stderr) = await RunAsync(Run("ok", "--json"));

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var record = json.RootElement;
        // The record exactly as the history and GET /runs/{id} hold it.
        Assert.Equal(stdout.Trim(), RunRecordJson.Serialize(RunRecordJson.Deserialize(stdout)));
        Assert.Equal(JsonValueKind.Array, record.GetProperty("lastOutput").ValueKind);
        Assert.Equal("ok", record.GetProperty("pipeline").GetString());
        Assert.Equal("Succeeded", record.GetProperty("state").GetString());
        Assert.Equal("FINISHED", record.GetProperty("flinkState").GetString());
        Assert.Equal(1, record.GetProperty("attempts").GetInt32());
        Assert.Equal(0, record.GetProperty("clientExitCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("error").ValueKind);
        var job = Assert.Single(Cluster.Flink.Jobs);
        Assert.Equal(job.Id, record.GetProperty("flinkJobId").GetString());
        Assert.Equal(record.GetProperty("jobName").GetString(), job.Name);
        Assert.StartsWith("ok-", job.Name, StringComparison.Ordinal);
        // Logs (gate progress, client output) went to stderr, so stdout held the JSON alone.
        Assert.Contains("Cluster ready", stderr, StringComparison.Ordinal);
        // The catalog's folder holds only pipeline scripts: the Python check is the Submitter's own.
        Assert.Contains("Python environment checked", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(Cluster.Catalog)!, "env_check.py")));
    }

    [Fact]
    public async Task Run_of_a_failing_pipeline_exits_1_with_Flinks_root_exception_in_the_error()
    {
        var (exitCode, stdout, stderr) = await RunAsync(Run("fail", "--json"));

        Assert.True(exitCode == 1, $"exit {exitCode}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("Failed", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("FAILED", json.RootElement.GetProperty("flinkState").GetString());
        Assert.Contains("Boom in ParDo(SplitWords)", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_lists_the_history_written_by_run()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await RunAsync(Run("ok", "--json"));
        Assert.Equal(0, first.ExitCode);
        var id = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("id").GetString();

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync(["runs", "--data-dir", Cluster.DataDirectory, "--json"], ct);

        Assert.True(exitCode == 0, stderr);
        var runs = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        var run = Assert.Single(runs);
        Assert.Equal(id, run.GetProperty("id").GetString());
        Assert.Equal("Succeeded", run.GetProperty("state").GetString());

        var table = await SubmitterProcess.RunAsync(["runs", "--data-dir", Cluster.DataDirectory], ct);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(id!, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Succeeded", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_pages_and_filters_the_history_and_never_writes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        using (var store = TestHistory.Open(Cluster.DataDirectory))
        {
            for (var i = 0; i < 5; i++)
            {
                store.Save(new RunRecord
                {
                    Id = $"{i}aaabbbbccccdddd", Pipeline = "ok", JobName = $"ok-{i}aaabbbb", State = i == 2 ? RunState.Failed : RunState.Succeeded,
                    CreatedAt = start.AddMinutes(i), UpdatedAt = start.AddMinutes(i),
                });
            }
        }

        var file = Path.Combine(Cluster.DataDirectory, "runs.db");
        var bytes = File.ReadAllBytes(file);
        var first = await SubmitterProcess.RunAsync(["runs", "--data-dir", Cluster.DataDirectory, "--limit", "2", "--state", "Succeeded"], ct);

        Assert.True(first.ExitCode == 0, first.Stderr);
        var lines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("4aaabbbbccccdddd", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("3aaabbbbccccdddd", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("More runs follow: --after ", lines[3], StringComparison.Ordinal);

        var next = await SubmitterProcess.RunAsync(
            ["runs", "--data-dir", Cluster.DataDirectory, "--limit", "2", "--state", "Succeeded", "--after", lines[3]["More runs follow: --after ".Length..].Trim(), "--json"], ct);
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Equal(["1aaabbbbccccdddd", "0aaabbbbccccdddd"],
            JsonDocument.Parse(next.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.DoesNotContain("More runs follow", next.Stderr, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(["runs.db"], Directory.GetFiles(Cluster.DataDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Runs_of_a_missing_data_directory_exits_2_naming_it_and_creates_nothing()
    {
        var missing = Path.Combine(Cluster.Root, "never-used");

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync(["runs", "--data-dir", missing], TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains($"there is no data directory {missing}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Runs_of_an_empty_data_directory_says_so_and_creates_no_history(bool emptyFileLeftByAnInterruptedStart)
    {
        var empty = Path.Combine(Cluster.Root, "empty");
        Directory.CreateDirectory(empty);
        if (emptyFileLeftByAnInterruptedStart)
        {
            File.WriteAllBytes(Path.Combine(empty, HistoryFile.FileName), []);
        }

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync(["runs", "--data-dir", empty], TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains($"No runs in {empty}", stdout, StringComparison.Ordinal);
        Assert.Equal(emptyFileLeftByAnInterruptedStart ? 1 : 0, Directory.GetFileSystemEntries(empty).Length);
    }

    [Fact]
    public async Task Runs_stops_at_a_damaged_record_with_one_line_naming_the_run_and_the_file()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        using (var store = TestHistory.Open(Cluster.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "0001aaaabbbbcccc", Pipeline = "ok", JobName = "ok-0001aaaa", State = RunState.Succeeded, CreatedAt = start, UpdatedAt = start,
                LastOutput = ["DAMAGED-HERE: these bytes are overwritten on disk"],
            });
        }

        var file = Path.Combine(Cluster.DataDirectory, HistoryFile.FileName);
        var bytes = File.ReadAllBytes(file);
        System.Text.Encoding.ASCII.GetBytes(new string('#', 37)).CopyTo(bytes, bytes.AsSpan().IndexOf("DAMAGED-HERE"u8));
        File.WriteAllBytes(file, bytes);

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync(["runs", "--data-dir", Cluster.DataDirectory], TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"Run history '{file}': the record of run '0001aaaabbbbcccc' is damaged (its checksum does not match its content). "
            + "It was left as it is; the other runs can still be read.", stderr.Trim());
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Theory]
    [InlineData("--taskmanagers", "many", "--taskmanagers")]
    [InlineData("--mode", "spark", "'spark'")]
    [InlineData("--flnk", "x", "'--flnk'")]
    [InlineData("--ready-timeout", "0", "--ready-timeout")]
    public async Task A_bad_flag_exits_2_naming_it(string flag, string value, string named)
    {
        var (exitCode, stdout, stderr) = await RunAsync(Run("ok", flag, value));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.Empty(Cluster.Flink.Jobs);
    }

    [Fact]
    public async Task An_unknown_pipeline_exits_2_naming_the_catalogs_pipelines()
    {
        var (exitCode, _, stderr) = await RunAsync(Run("wordcont"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown pipeline 'wordcont'. The catalog has: ok, fail, forever, wide, echo.", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Cluster.DataDirectory, "runs.db")));
    }

    [Fact]
    public async Task A_bad_catalog_exits_2_naming_the_problem()
    {
        File.WriteAllText(Cluster.Catalog, """{ "pipelines": [ { "name": "ok", "script": "succeed.py", "retries": 3 } ] }""");

        var (exitCode, _, stderr) = await RunAsync(Run("ok"));

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown field \"retries\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_version_combination_exits_2()
    {
        var (exitCode, _, stderr) = await RunAsync(Run("ok", "--python-version", "3.9"));

        Assert.Equal(2, exitCode);
        Assert.Contains("supports Python 3.10 to 3.14; got 3.9", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_apache_beam_version_other_than_the_clusters_exits_2_before_waiting()
    {
        var (exitCode, _, stderr) = await RunAsync(Run("ok", "--beam-version", "2.76.0", "--ready-timeout", "600"));

        Assert.Equal(2, exitCode);
        Assert.Contains("python: expected Python", stderr, StringComparison.Ordinal);
        Assert.Contains("with apache-beam 2.76.0, saw Python", stderr, StringComparison.Ordinal);
        Assert.Empty(Cluster.Flink.Jobs);
    }

    [Fact]
    public async Task A_cluster_that_is_never_ready_exits_3_naming_the_failing_conditions()
    {
        Cluster.Flink.TaskManagers = 0;

        var (exitCode, _, stderr) = await RunAsync(Run("ok", "--ready-timeout", "1"));

        Assert.Equal(3, exitCode);
        Assert.Contains("flink-taskmanagers: expected 1 TaskManager, saw 0 TaskManagers registered", stderr, StringComparison.Ordinal);
        Assert.Empty(Cluster.Flink.Jobs);
    }

    [Fact]
    public async Task Too_few_free_slots_for_the_pipeline_is_not_ready()
    {
        var (exitCode, _, stderr) = await RunAsync(Run("wide", "--ready-timeout", "3"));

        Assert.Equal(3, exitCode);
        Assert.Contains("flink-slots: expected at least 4 free slots, saw 2 slots in the whole cluster", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PosixSignal.SIGINT)]
    [InlineData(PosixSignal.SIGTERM)]
    public async Task A_termination_signal_cancels_the_run_on_the_cluster_and_exits_4(PosixSignal signal)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var process = SubmitterProcess.Start(Run("forever", "--json"));
        await WaitUntilAsync(() => Cluster.Flink.Jobs.Any(j => j.State == FlinkJobStates.Running) && Cluster.ClientPids().Count == 1, ct);
        var job = Assert.Single(Cluster.Flink.Jobs);
        var pid = Assert.Single(Cluster.ClientPids());

        process.Signal(signal);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.True(exitCode == 4, $"exit {exitCode}\n{process.Stderr}");
        using var json = JsonDocument.Parse(process.Stdout);
        Assert.Equal("Cancelled", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(job.Id, json.RootElement.GetProperty("flinkJobId").GetString());
        Assert.Contains(job.Id, Cluster.Flink.CancelledJobIds);
        Assert.Equal(FlinkJobStates.Canceled, Cluster.Flink.FindJob(job.Id)!.State);
        Assert.False(SubmitterProcess.IsAlive(pid), $"the client {pid} is still alive");
    }

    [Fact]
    public async Task Pipeline_arguments_after_the_double_dash_reach_the_client_verbatim()
    {
        const string tricky = "$(touch /tmp/pwned) `id`; echo x | cat > 'q' \"dq\" * ~";

        var (exitCode, stdout, stderr) = await RunAsync(Run("echo", "--json", "--", "--note", tricky, "--flink", "not-ours"));

        Assert.True(exitCode == 0, stderr);
        var runId = JsonDocument.Parse(stdout).RootElement.GetProperty("id").GetString()!;
        var argv = Cluster.EchoedArguments(runId);
        Assert.Equal(["--note", tricky, "--flink", "not-ours"], argv.TakeLast(4));
    }

    private List<string> Run(string pipeline, params string[] more)
    {
        var args = new List<string> { "run", pipeline };
        var flags = Cluster.ClusterFlags();
        flags.AddRange(["--data-dir", Cluster.DataDirectory, "--grace", "5"]);
        // A flag the test passes itself replaces the default one (they take one value each).
        for (var i = 0; i < flags.Count; i += 2)
        {
            if (!more.TakeWhile(m => m != "--").Contains(flags[i]))
            {
                args.AddRange([flags[i], flags[i + 1]]);
            }
        }

        args.AddRange(more);
        return args;
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(List<string> args) =>
        SubmitterProcess.RunAsync(args, TestContext.Current.CancellationToken);

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
