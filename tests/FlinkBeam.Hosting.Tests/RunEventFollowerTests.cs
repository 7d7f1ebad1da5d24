using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The pipeline rows following a Submitter's run events, against a loopback server that speaks the stream's contract
/// (<see cref="FakeSubmitterApi"/>): the fill from the history, live changes, output and metrics, the key on every
/// request, and the connection opened again with the last event's id.
/// </summary>
public sealed class RunEventFollowerTests : IAsyncLifetime
{
    private readonly TestCatalog _catalog = new("wordcount", "long_running");
    private FakeSubmitterApi _api = null!;
    private DistributedApplication _app = null!;
    private IHostedService _follower = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    private ResourceNotificationService Notifications => _app.Services.GetRequiredService<ResourceNotificationService>();

    public async ValueTask InitializeAsync()
    {
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        _timeout.CancelAfter(TimeSpan.FromMinutes(1));
        _api = await FakeSubmitterApi.StartAsync(Ct);
        var builder = Model.RunModeWithApiKey(ResourceNames.Submitter, "k3y");
        var cluster = FlinkBeamCluster.FromExternalServices(
            builder.AddExternalService("flink", "http://flink.example:8081"), builder.AddExternalService("jobs", "http://jobs.example:8099"), []);
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
            .WithClusterSettings(Model.Settings)
            .WithCluster(cluster)
            .WithPipelines(_catalog.Catalog)
            .Resource;
        _app = builder.Build();
        Model.Allocate(submitter, EndpointNames.SubmitterHttp, _api.Port);
        // The one the AppHost would start (the app is built, not started: only the follower runs).
        Assert.Contains(builder.Services, s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(RunEventFollower));
        _follower = ActivatorUtilities.CreateInstance<RunEventFollower>(_app.Services);
        await _follower.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _follower.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _api.DisposeAsync();
        _catalog.Dispose();
        _timeout.Dispose();
    }

    /// <summary>The orchestrator says the Submitter runs, which is when the rows start following it.</summary>
    private Task SubmitterRunsAsync() =>
        Notifications.PublishUpdateAsync(_app.Single<SubmitterResource>(ResourceNames.Submitter), s => s with { State = KnownResourceStates.Running });

    private async Task<CustomResourceSnapshot> RowAsync(string name, Func<CustomResourceSnapshot, bool> until) =>
        (await Notifications.WaitForResourceAsync(name, e => until(e.Snapshot), Ct)).Snapshot;

    private static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.SingleOrDefault(p => p.Name == name)?.Value as string;

    private static string Pipeline(string pipeline, long runs, string? state, string id = "r1", string? jobId = null, string? finished = null)
    {
        var latest = state is null
            ? "null"
            : $$"""{"id":"{{id}}","pipeline":"{{pipeline}}","args":[],"jobName":"{{pipeline}}-{{id}}","state":"{{state}}","createdAt":"2026-12-07T10:00:00Z","updatedAt":"2026-12-07T10:00:01Z","finishedAt":{{Json(finished)}},"flinkJobId":{{Json(jobId)}},"attempts":1,"lastOutput":[],"warnings":[],"unknownField":1}""";
        return $$"""{"pipeline":"{{pipeline}}","runs":{{runs}},"failed":0,"latest":{{latest}}}""";
    }

    private static string Json(string? text) => text is null ? "null" : $"\"{text}\"";

    private async Task<IReadOnlyList<string>> ConsoleUntilAsync(string resource, Func<IReadOnlyList<string>, bool> until)
    {
        var lines = new List<string>();
        var loggers = _app.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in loggers.WatchAsync(_app.Single<PipelineResource>(resource)).WithCancellation(Ct))
        {
            lines.AddRange(batch.Select(l => l.Content));
            if (until(lines))
            {
                return lines;
            }
        }

        return lines;
    }

    [Fact]
    public async Task Every_row_is_filled_from_the_history_once_the_Submitter_runs_and_the_key_is_presented()
    {
        _api.SetPipeline("wordcount", Pipeline("wordcount", 3, "Succeeded", jobId: "f00d", finished: "2026-12-07T10:00:04Z"));
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.Empty(_api.Requests);

        await SubmitterRunsAsync();
        var wordcount = await RowAsync("wordcount", s => s.State?.Text == "Succeeded");
        // The Submitter said nothing of long_running before "synced": it has no runs.
        var longRunning = await RowAsync("long-running", s => s.State?.Text == "Idle");

        Assert.Equal(KnownResourceStateStyles.Success, wordcount.State?.Style);
        Assert.Equal("3", Property(wordcount, "runs.count"));
        Assert.Equal("r1", Property(wordcount, "run.id"));
        Assert.Equal("4.0 s", Property(wordcount, "run.duration"));
        Assert.Equal("http://flink.example:8081/#/job/completed/f00d/overview", (await RowAsync("wordcount", s => s.Urls.Length > 0)).Urls.Single().Url);
        Assert.Equal("0", Property(longRunning, "runs.count"));
        var request = _api.Requests[0];
        Assert.Equal(("GET", "/runs/events", "Bearer k3y", ""), (request.Method, request.Path, request.Authorization, request.LastEventId));
    }

    [Fact]
    public async Task Live_changes_move_the_row_and_its_console_log_names_each_state()
    {
        _api.SetPipeline("long_running", Pipeline("long_running", 0, null));
        await SubmitterRunsAsync();
        await RowAsync("long-running", s => s.State?.Text == "Idle");

        _api.SetPipeline("long_running", Pipeline("long_running", 1, "Launching"));
        var launching = await RowAsync("long-running", s => s.State?.Text == "Launching");
        _api.SetPipeline("long_running", Pipeline("long_running", 1, "Running", jobId: "beef"));
        var running = await RowAsync("long-running", s => s.State?.Text == "Running" && s.Urls.Length > 0);
        _api.SetPipeline("long_running", Pipeline("long_running", 1, "Cancelled", jobId: "beef", finished: "2026-12-07T10:01:00Z"));
        var cancelled = await RowAsync("long-running", s => s.State?.Text == "Cancelled");

        Assert.Equal(KnownResourceStateStyles.Info, launching.State?.Style);
        Assert.Equal("http://flink.example:8081/#/job/running/beef/overview", running.Urls.Single().Url);
        Assert.Equal((KnownResourceStateStyles.Warn, "1 min 00 s"), (cancelled.State?.Style, Property(cancelled, "run.duration")));
        var console = await ConsoleUntilAsync("long-running", lines => lines.Any(l => l.Contains("Cancelled", StringComparison.Ordinal)));
        Assert.Equal(
            ["Run r1: Launching", "Run r1: Running", "Run r1: Cancelled after 1 min 00 s"],
            console.Select(l => l[(l.IndexOf("Run r1", StringComparison.Ordinal))..]));
    }

    [Fact]
    public async Task Client_output_lands_in_the_rows_console_log_and_metrics_in_its_properties()
    {
        _api.SetPipeline("wordcount", Pipeline("wordcount", 1, "Running", jobId: "f00d"));
        await SubmitterRunsAsync();
        await RowAsync("wordcount", s => s.State?.Text == "Running");

        _api.Send("output", """{"pipeline":"wordcount","runId":"r1","line":"INFO: Job f00d is RUNNING"}""");
        _api.Send("output", """{"pipeline":"other","runId":"x","line":"not ours"}""");
        _api.Send("metrics", """{"pipeline":"wordcount","runId":"r1","flinkJobId":"f00d","at":"2026-12-07T10:00:05Z","numRestarts":0,"checkpoints":{"completed":3,"failed":0,"lastDurationMs":120,"lastSizeBytes":2048},"vertices":[{"id":"v1","name":"Count","numRecordsIn":10,"numRecordsOut":10,"numRecordsOutPerSecond":1.5,"backPressuredTimeMsPerSecond":0,"busyTimeMsPerSecond":12}]}""");
        var row = await RowAsync("wordcount", s => Property(s, "metrics.at") is not null);

        Assert.Equal("3 completed, 0 failed", Property(row, "metrics.checkpoints"));
        Assert.Equal("in 10 · out 10 · 1.5 out/s · backpressured 0 ms/s · busy 12 ms/s", Property(row, "metrics.vertex.1"));
        var console = await ConsoleUntilAsync("wordcount", lines => lines.Any(l => l.Contains("[r1] INFO: Job f00d is RUNNING", StringComparison.Ordinal)));
        Assert.DoesNotContain(console, l => l.Contains("not ours", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_events_and_unreadable_ones_are_skipped()
    {
        await SubmitterRunsAsync();
        await RowAsync("wordcount", s => s.State?.Text == "Idle");

        _api.Send("rescaled", """{"pipeline":"wordcount"}""");
        _api.Send("pipeline", "not json");
        _api.SetPipeline("wordcount", Pipeline("wordcount", 1, "Launching"));

        Assert.Equal("Launching", (await RowAsync("wordcount", s => s.State?.Text != "Idle")).State?.Text);
    }

    [Fact]
    public async Task A_lost_stream_is_opened_again_with_the_last_events_id_and_a_restarted_Submitter_fills_the_rows_again()
    {
        _api.SetPipeline("wordcount", Pipeline("wordcount", 1, "Running", jobId: "f00d"));
        await SubmitterRunsAsync();
        await RowAsync("wordcount", s => s.State?.Text == "Running");

        // The stream drops; meanwhile the run ends. The follower asks again from the last id it saw and is told.
        _api.DropStreams();
        _api.SetPipeline("wordcount", Pipeline("wordcount", 1, "Succeeded", jobId: "f00d", finished: "2026-12-07T10:00:09Z"));
        await RowAsync("wordcount", s => s.State?.Text == "Succeeded");
        var resumed = _api.Requests[1];
        Assert.Matches("^[0-9a-f]{8}-[0-9]+$", resumed.LastEventId);
        Assert.Equal("Bearer k3y", resumed.Authorization);

        // A restarted Submitter does not know that id: it fills the rows again from its history.
        _api.Restart();
        _api.SetPipeline("wordcount", Pipeline("wordcount", 2, "Launching", id: "r2"));
        var refilled = await RowAsync("wordcount", s => Property(s, "run.id") == "r2");
        Assert.Equal(("Launching", "2"), (refilled.State?.Text, Property(refilled, "runs.count")));
        Assert.Equal(3, _api.Requests.Count(r => r.Path == "/runs/events"));
    }

    [Fact]
    public async Task A_Submitter_that_refuses_the_stream_is_asked_again_and_the_rows_wait_meanwhile()
    {
        var refusals = 0;
        _api.Answer = request => request.Path == "/runs/events" && Interlocked.Increment(ref refusals) <= 2
            ? FakeSubmitterAnswer.Problem(503, "Starting", "The Submitter is starting.")
            : new FakeSubmitterAnswer(200, null);
        await SubmitterRunsAsync();

        await RowAsync("wordcount", s => s.State?.Text == "Idle");

        Assert.Equal(3, _api.Requests.Count);
    }

    [Theory]
    [InlineData(1000, 0, 1000)]
    [InlineData(1000, 1, 1000)]
    [InlineData(1000, 2, 2000)]
    [InlineData(1000, 3, 4000)]
    [InlineData(1000, 4, 5000)]
    [InlineData(1000, 40, 5000)]
    [InlineData(200, 3, 800)]
    [InlineData(8000, 3, 8000)]
    public void The_wait_before_the_next_attempt_grows_with_failures_in_a_row_up_to_five_seconds(int retryMs, int failures, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RunEventFollower.ReconnectDelay(TimeSpan.FromMilliseconds(retryMs), failures));
}
