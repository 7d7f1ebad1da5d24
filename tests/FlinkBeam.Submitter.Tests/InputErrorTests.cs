using System.Net;
using System.Text.Json;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// Bad input to the real Submitter process: every mistake is answered with exit code 2 (or a 4xx) and one line per
/// problem naming the option or setting and its value, never a stack trace, and nothing is started or written.
/// </summary>
public sealed class InputErrorTests : LoopbackClusterTests
{
    [Theory]
    [InlineData("run", "--grace", "abc", "--grace must be a number of seconds of 0 or more; got 'abc'.")]
    [InlineData("run", "--grace", "-3", "--grace must be a number of seconds of 0 or more; got '-3'.")]
    [InlineData("run", "--job-timeout", "0", "--job-timeout must be a number of seconds above 0; got '0'.")]
    [InlineData("run", "--ready-timeout", "soon", "--ready-timeout must be a number of seconds above 0; got 'soon'.")]
    [InlineData("run", "--retries", "many", "--retries must be a whole number of 0 or more; got 'many'.")]
    [InlineData("run", "--retries", "-1", "--retries must be a whole number of 0 or more; got '-1'.")]
    [InlineData("run", "--taskmanagers", "0", "--taskmanagers must be a whole number of 1 or more; got '0'.")]
    [InlineData("check", "--parallelism", "1.5", "--parallelism must be a whole number of 0 or more; got '1.5'.")]
    [InlineData("runs", "--limit", "0", "--limit must be a whole number from 1 to 1000; got '0'.")]
    [InlineData("runs", "--state", "Done", "--state 'Done' is not one of: Pending, WaitingForCluster, Launching, Submitted, Running, Succeeded, Failed, Cancelled, TimedOut.")]
    [InlineData("runs", "--after", "yesterday", "--after 'yesterday' is not a cursor of the history; use the one printed below the previous page.")]
    public async Task An_unreadable_number_or_value_exits_2_with_one_line_naming_the_option_and_the_value(string command, string option, string value, string message)
    {
        List<string> args = command switch
        {
            "run" => ["run", "ok", .. Cluster.ClusterFlags(), "--data-dir", Cluster.DataDirectory],
            "check" => ["check", .. Cluster.ClusterFlags()],
            _ => ["runs", "--data-dir", Cluster.DataDirectory],
        };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args.RemoveRange(at, 2);
        }

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync([.. args, option, value], TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Equal(message, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim());
        AssertNoStackTrace(stderr);
        Assert.Equal(0, Cluster.Flink.RequestCount("/overview"));
        Assert.False(Directory.Exists(Cluster.DataDirectory));
    }

    [Fact]
    public async Task A_bad_data_directory_is_reported_before_the_cluster_is_asked_anything()
    {
        var file = Path.Combine(Cluster.Root, "not-a-folder");
        File.WriteAllText(file, "x");
        List<string> args = ["run", "ok", .. Cluster.ClusterFlags(), "--data-dir", file, "--ready-timeout", "600"];

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Contains($"Run history '{Path.Combine(file, HistoryFile.FileName)}': the data directory cannot be created", stderr, StringComparison.Ordinal);
        AssertNoStackTrace(stderr);
        Assert.Equal(0, Cluster.Flink.RequestCount("/overview"));
        Assert.Equal(0, Cluster.JobServer.CallCount("GetJobs"));
    }

    [Fact]
    public async Task A_missing_interpreter_exits_2_naming_its_path_before_waiting()
    {
        var python = Path.Combine(Cluster.Root, "no-such", "python3");
        List<string> args = ["run", "ok", .. Cluster.ClusterFlags(), "--data-dir", Cluster.DataDirectory, "--python", python];
        args.RemoveAt(args.IndexOf("--python"));
        args.RemoveAt(args.IndexOf(Cluster.Python));

        var (exitCode, _, stderr) = await SubmitterProcess.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        Assert.Contains($"saw interpreter '{python}' not found", stderr, StringComparison.Ordinal);
        Assert.Empty(Cluster.Flink.Jobs);
    }

    [Fact]
    public async Task A_catalog_argument_beyond_what_a_process_can_take_is_refused_at_submission_with_exit_2()
    {
        Cluster.WriteCatalog(("huge", "succeed.py", 1, ["--note", new string('x', 200_000)]));
        List<string> args = ["run", "huge", .. Cluster.ClusterFlags(), "--data-dir", Cluster.DataDirectory, "--ready-timeout", "30"];

        var (exitCode, _, stderr) = await SubmitterProcess.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        Assert.Contains("of the client is 195.3 KiB (200001 bytes); one argument may be at most 128 KiB (131072 bytes) on this system", stderr, StringComparison.Ordinal);
        AssertNoStackTrace(stderr);
        Assert.Empty(Cluster.Flink.Jobs);
        Assert.Equal(0, FakePipelineFiles.CountStarts(Cluster.Python));
        Assert.Equal(0, Cluster.Flink.RequestCount("/overview"));
    }

    [Theory]
    [InlineData("--out", "/tmp/elsewhere.json", "'--out /tmp/elsewhere.json' would replace --out, which the catalog entry 'echo' fixes; callers may replace only the options it lists as overridable (it lists none).")]
    [InlineData("--setup_file", "./setup.py", "'--setup_file ./setup.py' sets --setup_file, which makes the client read, install or run files on the Submitter's machine; the catalog entry 'echo' does not list it as overridable (it lists none).")]
    public async Task A_run_argument_that_replaces_a_catalog_argument_or_acts_on_this_machine_exits_2_naming_it(string option, string value, string message)
    {
        List<string> args = ["run", "echo", .. Cluster.ClusterFlags(), "--data-dir", Cluster.DataDirectory, "--", option, value];

        var (exitCode, stdout, stderr) = await SubmitterProcess.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        AssertNoStackTrace(stderr);
        Assert.Empty(Cluster.Flink.Jobs);
        Assert.Equal(0, FakePipelineFiles.CountStarts(Cluster.Python));
    }

    [Fact]
    public async Task Serve_with_bad_settings_exits_2_with_one_line_per_problem()
    {
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__Grace"] = "abc";
        environment["Submitter__JobTimeout"] = "30";
        environment["Submitter__Retries"] = "many";
        environment["Submitter__Gracee"] = "00:00:01";
        environment["Submitter__TaskManagers"] = "0";
        environment["Submitter__CancelOnShutdown"] = "sometimes";
        environment[SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.MetricsInterval)] = "00:00:00";

        await using var process = SubmitterProcess.Start(["serve", "--urls=http://127.0.0.1:0"], environment: environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{process.Stdout}\n{process.Stderr}");
        AssertNoStackTrace(process.Stderr + process.Stdout);
        var lines = process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] expected =
        [
            "The Submitter cannot start: Submitter:Grace 'abc' is not a duration; write it as hh:mm:ss, e.g. 00:00:30.",
            "The Submitter cannot start: Submitter:JobTimeout '30' has no unit; write a duration as hh:mm:ss, e.g. 00:00:30 for 30 seconds.",
            "The Submitter cannot start: Submitter:Retries 'many' is not a whole number.",
            "The Submitter cannot start: Submitter:Gracee is not a setting of the Submitter; the settings are: "
                + string.Join(", ", Configuration.SubmitterOptionsBinder.Names) + ".",
            "The Submitter cannot start: TaskManagers (--taskmanagers / Submitter:TaskManagers) must be at least 1; got 0.",
            "The Submitter cannot start: Submitter:CancelOnShutdown 'sometimes' is not true or false.",
            "The Submitter cannot start: Metrics interval (Submitter:MetricsInterval) must be positive; got 0 s.",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Cluster.DataDirectory));
    }

    [Fact]
    public async Task The_API_answers_413_for_a_body_over_the_configured_limit_and_400_for_an_argument_no_process_can_take()
    {
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__MaxRequestBodyBytes"] = "300000";
        await using var service = await ServiceSubmitterProcess.StartAsync(environment, TestContext.Current.CancellationToken);

        var tooLarge = await service.PostAsync("/runs", JsonSerializer.Serialize(new { pipeline = "ok", args = new[] { new string('y', 400_000) } }));
        var problem = tooLarge.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 300000 bytes (Submitter:MaxRequestBodyBytes)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var tooLong = await service.PostAsync("/runs", JsonSerializer.Serialize(new { pipeline = "ok", args = new[] { new string('z', 200_000) } }));
        problem = tooLong.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("one argument may be at most 128 KiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var runs = await service.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runs.Status);
        Assert.Empty(runs.Json.EnumerateArray());
        Assert.Empty(Cluster.Flink.Jobs);
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", output, StringComparison.Ordinal);
    }
}
