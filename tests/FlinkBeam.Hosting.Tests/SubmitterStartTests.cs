using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The library's wiring under the real orchestrator: Aspire starts the real Submitter project, the Submitter finds the
/// loopback cluster through the service-discovery entries the library gave it and becomes healthy, and each catalog
/// pipeline is a row beneath it whose commands, run through Aspire's command service (as the dashboard, <c>aspire
/// resource</c> and MCP clients run them), start and cancel runs that the row then follows from the Submitter's run
/// events. One start serves the class; each test reads only what its own runs changed.
/// </summary>
public sealed partial class SubmitterStartTests(SubmitterStartTests.Started started) : IClassFixture<SubmitterStartTests.Started>
{
    private readonly LoopbackAspireApp _loopback = started.Loopback;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^Run (?<id>[0-9a-f]{16}) of (?<pipeline>[a-z_-]+) accepted")]
    private static partial Regex Accepted();

    private static string RunId(ExecuteCommandResult run)
    {
        Assert.True(run.Success, run.Message);
        var accepted = Accepted().Match(run.Message ?? "");
        Assert.True(accepted.Success, run.Message);
        return accepted.Groups["id"].Value;
    }

    [Fact]
    public async Task Run_from_the_pipelines_row_ends_with_the_row_showing_Succeeded_its_run_and_its_Flink_job()
    {
        var states = _loopback.StatesUntilAsync("wordcount", LoopbackAspireApp.IsTerminal, Ct);

        // A job of 1.5 s, so its Running state is seen on the way.
        var runId = RunId(await _loopback.CommandAsync("wordcount", PipelineBuilderExtensions.RunCommand, Ct, args: "--run_ms 1500"));

        var row = await _loopback.RowAsync("wordcount", s => LoopbackAspireApp.Property(s, "run.id") == runId && LoopbackAspireApp.IsTerminal(s.State?.Text ?? ""), Ct);
        Assert.Equal(new ResourceStateSnapshot("Succeeded", KnownResourceStateStyles.Success), row.State);
        var seen = (await states).ToList();
        Assert.Contains("Running", seen);
        Assert.True(seen.IndexOf("Running") < seen.IndexOf("Succeeded"), string.Join(" → ", seen));

        var job = Assert.Single(_loopback.Cluster.Flink.Jobs, j => j.Name == LoopbackAspireApp.Property(row, "run.job-name"));
        Assert.Equal(job.Id, LoopbackAspireApp.Property(row, "run.flink-job-id"));
        Assert.NotNull(LoopbackAspireApp.Property(row, "run.duration"));
        var history = await _loopback.RunsAsync("wordcount", Ct);
        Assert.Equal(history.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), LoopbackAspireApp.Property(row, "runs.count"));
        var link = Assert.Single(row.Urls, u => u.Name == "flink-job");
        Assert.Equal($"{_loopback.Cluster.Flink.RestUrl}#/job/completed/{job.Id}/overview", link.Url);
    }

    [Fact]
    public async Task Cancel_on_a_long_running_pipelines_row_ends_its_run_and_the_row_shows_Cancelled()
    {
        var runId = RunId(await _loopback.CommandAsync("long-running", PipelineBuilderExtensions.RunCommand, Ct, args: ""));
        await _loopback.RowAsync("long-running", s => LoopbackAspireApp.Property(s, "run.id") == runId && s.State?.Text == "Running", Ct);

        var cancel = await _loopback.CommandAsync("long-running", PipelineBuilderExtensions.CancelCommand, Ct);

        Assert.True(cancel.Success, cancel.Message);
        Assert.Equal($"Cancelled run {runId}.", cancel.Message);
        var row = await _loopback.RowAsync("long-running", s => LoopbackAspireApp.Property(s, "run.id") == runId && LoopbackAspireApp.IsTerminal(s.State?.Text ?? ""), Ct);
        Assert.Equal(new ResourceStateSnapshot("Cancelled", KnownResourceStateStyles.Warn), row.State);
    }

    [Fact]
    public async Task A_Run_with_an_argument_the_Submitter_refuses_shows_its_message_at_the_input_and_starts_nothing()
    {
        var before = (await _loopback.RunsAsync("wordcount", Ct)).Count;

        var run = await _loopback.CommandAsync("wordcount", PipelineBuilderExtensions.RunCommand, Ct, args: "--job_name mine");

        Assert.False(run.Success);
        Assert.Equal("Command argument validation failed.", run.Message);
        var message = Assert.Single(Commands.ValidationErrors(run)["args"]);
        Assert.Contains("'--job_name mine'", message, StringComparison.Ordinal);
        Assert.Contains("which the system owns", message, StringComparison.Ordinal);
        Assert.Equal(before, (await _loopback.RunsAsync("wordcount", Ct)).Count);
    }

    [Fact]
    public async Task The_Submitters_Cancel_active_runs_cancels_a_pipelines_run()
    {
        var runId = RunId(await _loopback.CommandAsync("long-running", PipelineBuilderExtensions.RunCommand, Ct, args: ""));
        await _loopback.RowAsync("long-running", s => LoopbackAspireApp.Property(s, "run.id") == runId && s.State?.Text == "Running", Ct);

        var cancel = await _loopback.CommandAsync(ResourceNames.Submitter, SubmitterBuilderExtensions.CancelActiveRunsCommand, Ct);

        Assert.True(cancel.Success, cancel.Message);
        Assert.Contains(runId, cancel.Message, StringComparison.Ordinal);
        var row = await _loopback.RowAsync("long-running", s => LoopbackAspireApp.Property(s, "run.id") == runId && LoopbackAspireApp.IsTerminal(s.State?.Text ?? ""), Ct);
        Assert.Equal("Cancelled", row.State?.Text);
    }

    /// <summary>The start all tests share: the Submitter healthy, the cluster's parts healthy, every row filled from the history.</summary>
    public sealed class Started : IAsyncLifetime
    {
        private static readonly TimeSpan FillTimeout = TimeSpan.FromSeconds(60);

        internal LoopbackAspireApp Loopback { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(4));
            Loopback = await LoopbackAspireApp.StartAsync(dashboard: false, timeout.Token);

            // Healthy is the Submitter's readiness gate as the library's health check reads it: Flink, the Job API, the
            // worker pool and the fake Python all answered the Submitter.
            var notifications = Loopback.App.ResourceNotifications;
            await notifications.WaitForResourceHealthyAsync(ResourceNames.Submitter, timeout.Token);
            foreach (var part in new[] { ResourceNames.JobManager, ResourceNames.JobServer, "flink-taskmanager-1-workerpool" })
            {
                await notifications.WaitForResourceHealthyAsync(part, timeout.Token);
            }

            // The rows leave Waiting once the Submitter's run events have filled them from its (empty) history.
            using var fill = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            fill.CancelAfter(FillTimeout);
            foreach (var row in LoopbackAspireApp.PipelineRows)
            {
                try
                {
                    await Loopback.RowAsync(row, s => s.State?.Text == "Idle", fill.Token);
                }
                catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                {
                    Assert.Fail($"The row '{row}' was not filled from the Submitter's run events (GET /runs/events) within {FillTimeout.TotalSeconds} s of the Submitter being healthy.");
                }
            }
        }

        public async ValueTask DisposeAsync() => await Loopback.DisposeAsync();
    }
}
