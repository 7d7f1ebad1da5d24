using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// <c>GET /runs/events</c> of the real Submitter process over real HTTP, against the loopback fakes and real Python clients:
/// the fill, a run's whole life, output lines, metrics rounds, resuming with a cursor, and a restart of the Submitter.
/// </summary>
public sealed class ServiceEventStreamTests : LoopbackClusterTests
{
    internal const string Path = "/runs/events";
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    internal static readonly string[] Catalog = ["ok", "fail", "forever", "wide", "echo"];
    private static readonly string[] Lifecycle = ["Pending", "WaitingForCluster", "Launching", "Submitted", "Running", "Succeeded", "Failed", "Cancelled"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_gets_every_pipeline_then_each_change_of_a_runs_life_and_the_lines_its_client_prints()
    {
        await using var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), Ct);
        await using var stream = await EventStreamConnection.OpenAsync(service.Http, Path, null, Ct);

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        var fill = await stream.ReadUntilAsync(Synced, Patience, Ct);
        Assert.Equal(1000, stream.Reader.Retry);
        AssertFill(fill);
        Assert.All(fill.SkipLast(1), e =>
        {
            Assert.Equal(0, e.Json.GetProperty("runs").GetInt64());
            Assert.Equal(0, e.Json.GetProperty("failed").GetInt64());
            Assert.Equal(JsonValueKind.Null, e.Json.GetProperty("latest").ValueKind);
        });

        var id = await service.StartRunAsync("ok");
        var life = await stream.ReadUntilAsync(
            read => read.Any(e => LatestState(e, "ok") == "Succeeded") && read.Any(e => Output(e, id)?.Contains("Job state changed to FINISHED", StringComparison.Ordinal) == true),
            Patience, Ct);

        var states = life.Select(e => LatestState(e, "ok")).OfType<string>().ToList();
        Assert.Equal("Succeeded", states[^1]);
        Assert.Contains("Running", states);
        Assert.Equal(states.OrderBy(s => Array.IndexOf(Lifecycle, s)), states);
        var final = life.Last(e => LatestState(e, "ok") is not null).Json;
        Assert.Equal(1, final.GetProperty("runs").GetInt64());
        Assert.Equal(0, final.GetProperty("failed").GetInt64());
        var record = (await service.GetAsync($"/runs/{id}")).Json;
        Assert.True(JsonElement.DeepEquals(record, final.GetProperty("latest")), $"latest {final.GetProperty("latest")}\nGET /runs/{id} {record}");

        var lines = life.Where(e => e.Name == "output").Select(e => e.Json).ToList();
        Assert.All(lines, l => Assert.Equal(("ok", id), (l.GetProperty("pipeline").GetString(), l.GetProperty("runId").GetString())));
        Assert.Contains(lines, l => l.GetProperty("line").GetString()!.Contains($"submitted as {record.GetProperty("flinkJobId").GetString()}", StringComparison.Ordinal));
        AssertIncreasing(fill[^1].Id!, life);

        var failed = await service.StartRunAsync("fail");
        var failing = await stream.ReadUntilAsync(read => read.Any(e => LatestState(e, "fail") == "Failed"), Patience, Ct);
        var failure = failing.Last(e => LatestState(e, "fail") is not null).Json;
        Assert.Equal((1, 1), (failure.GetProperty("runs").GetInt64(), failure.GetProperty("failed").GetInt64()));
        Assert.Equal(failed, failure.GetProperty("latest").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Each_metrics_round_sends_the_figures_of_every_running_run_and_a_run_that_ended_is_left_out()
    {
        var environment = Cluster.ServiceEnvironment();
        environment[SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.MetricsInterval)] = "00:00:00.2";
        var figures = new FakeFlinkJobMetrics
        {
            Vertices =
            [
                new("[1]Read/Impulse", new Dictionary<string, double> { ["numRecordsIn"] = 0, ["numRecordsOut"] = 10, ["numRecordsOutPerSecond"] = 1.5, ["busyTimeMsPerSecond"] = 12 }),
                new("[2]Count -> Write", new Dictionary<string, double> { ["numRecordsIn"] = 10, ["numRecordsOut"] = 4, ["backPressuredTimeMsPerSecond"] = 0 }),
            ],
            Checkpoints = new FakeFlinkCheckpoints(Completed: 3, Failed: 1, LatestDurationMs: 120, LatestStateSize: 2048, LatestCheckpointedSize: 512),
            NumRestarts = 2,
        };
        Cluster.Flink.DefaultJobMetrics = figures;
        await using var service = await ServiceSubmitterProcess.StartAsync(environment, Ct);
        await using var stream = await EventStreamConnection.OpenAsync(service.Http, Path, null, Ct);
        await stream.ReadUntilAsync(Synced, Patience, Ct);

        var id = await service.StartRunAsync("forever");
        var first = (await stream.ReadUntilAsync(read => read.Any(e => Metrics(e, id)), Patience, Ct)).Last(e => Metrics(e, id));

        var jobId = (await service.GetAsync($"/runs/{id}")).Json.GetProperty("flinkJobId").GetString()!;
        var m = first.Json;
        Assert.Equal(("forever", id, jobId), (m.GetProperty("pipeline").GetString(), m.GetProperty("runId").GetString(), m.GetProperty("flinkJobId").GetString()));
        Assert.True(DateTimeOffset.TryParse(m.GetProperty("at").GetString(), CultureInfo.InvariantCulture, out _), m.ToString());
        Assert.Equal(2, m.GetProperty("numRestarts").GetInt64());
        Assert.Equal("""{"completed":3,"failed":1,"lastDurationMs":120,"lastSizeBytes":2048}""", m.GetProperty("checkpoints").GetRawText());
        Assert.Equal(
            $$"""[{"id":"{{FakeFlinkCluster.VertexId(jobId, 0)}}","name":"[1]Read/Impulse","numRecordsIn":0,"numRecordsOut":10,"numRecordsOutPerSecond":1.5,"busyTimeMsPerSecond":12},"""
            + $$"""{"id":"{{FakeFlinkCluster.VertexId(jobId, 1)}}","name":"[2]Count -\u003E Write","numRecordsIn":10,"numRecordsOut":4,"backPressuredTimeMsPerSecond":0}]""",
            m.GetProperty("vertices").GetRawText());

        // The figures change on Flink; a later round says so. The job's vertex list was read once.
        Cluster.Flink.SetJobMetrics(jobId, figures with { Checkpoints = new FakeFlinkCheckpoints(4, 1, 90, 4096), NumRestarts = 3 });
        await stream.ReadUntilAsync(read => read.Any(e => Metrics(e, id) && e.Json.GetProperty("checkpoints").GetProperty("completed").GetInt64() == 4), Patience, Ct);
        Assert.Equal(1, Cluster.Flink.RequestCount($"/jobs/{jobId}"));

        var cancel = await service.PostAsync($"/runs/{id}/cancel");
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        var next = await service.StartRunAsync("forever");
        // A round that reads the second run began after the first was cancelled: from there on, only the second is read.
        var rounds = await stream.ReadUntilAsync(read => read.Count(e => Metrics(e, next)) >= 2, Patience, Ct);
        Assert.DoesNotContain(rounds.SkipWhile(e => !Metrics(e, next)), e => Metrics(e, id));
        await service.PostAsync($"/runs/{next}/cancel");
    }

    [Fact]
    public async Task A_client_that_comes_back_with_the_last_id_it_saw_gets_only_what_it_missed()
    {
        await using var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), Ct);
        string cursor;
        await using (var first = await EventStreamConnection.OpenAsync(service.Http, Path, null, Ct))
        {
            cursor = (await first.ReadUntilAsync(Synced, Patience, Ct))[^1].Id!;
        }

        var id = await service.StartRunAsync("ok");
        await service.WaitForEndAsync(id);

        foreach (var (path, header) in new[] { (Path, cursor), ($"{Path}?after={Uri.EscapeDataString(cursor)}", null) })
        {
            await using var back = await EventStreamConnection.OpenAsync(service.Http, path, header, Ct);
            var missed = await back.ReadUntilAsync(read => Synced(read) && read.Any(e => LatestState(e, "ok") == "Succeeded"), Patience, Ct);

            Assert.All(missed.Where(e => e.Name == "pipeline"), e => Assert.Equal("ok", e.Json.GetProperty("pipeline").GetString()));
            Assert.DoesNotContain(missed, e => e.Name == "output");
            AssertIncreasing(cursor, missed.Where(e => e.Name == "pipeline"));
            Assert.Equal(id, missed.Last(e => e.Name == "pipeline").Json.GetProperty("latest").GetProperty("id").GetString());
        }

        await using var lost = await EventStreamConnection.OpenAsync(service.Http, Path, "not a cursor", Ct);
        AssertFill(await lost.ReadUntilAsync(Synced, Patience, Ct));
    }

    [Fact]
    public async Task The_stream_ends_cleanly_when_the_Submitter_stops_and_after_a_restart_a_returning_client_gets_the_new_streams_full_fill()
    {
        string last;
        string id;
        await using (var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), Ct))
        {
            await using var stream = await EventStreamConnection.OpenAsync(service.Http, Path, null, Ct);
            await stream.ReadUntilAsync(Synced, Patience, Ct);
            id = await service.StartRunAsync("ok");
            await stream.ReadUntilAsync(read => read.Any(e => LatestState(e, "ok") == "Succeeded"), Patience, Ct);
            last = stream.Reader.LastEventId!;

            service.Process.Signal(PosixSignal.SIGTERM);

            // The Submitter ends the open stream as it stops: the response completes (a broken one would throw here).
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bounded.CancelAfter(Patience);
            while (await stream.ReadAsync(bounded.Token) is not null)
            {
            }

            var exitCode = await service.Process.WaitForExitAsync(Patience, Ct);
            Assert.True(exitCode == 0, $"exit {exitCode}\nstdout:\n{service.Process.Stdout}\nstderr:\n{service.Process.Stderr}");
        }

        await using var restarted = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), Ct);
        await using var again = await EventStreamConnection.OpenAsync(restarted.Http, Path, last, Ct);
        var fill = await again.ReadUntilAsync(Synced, Patience, Ct);

        AssertFill(fill);
        Assert.NotEqual(Stream(last), Stream(fill[^1].Id!));
        var ok = fill.Single(e => LatestState(e, "ok") is not null).Json;
        Assert.Equal((1, "Succeeded", id), (ok.GetProperty("runs").GetInt64(), ok.GetProperty("latest").GetProperty("state").GetString(), ok.GetProperty("latest").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_unknown_query_parameter_is_a_400_problem_naming_it()
    {
        await using var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), Ct);

        var problem = (await service.GetAsync($"{Path}?since=yesterday")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.Equal($"'since' is not a query parameter of {Path}; use after (or the Last-Event-ID header) to resume.", problem.GetProperty("detail").GetString());
    }

    internal static bool Synced(IReadOnlyList<ServerSentEvent> read) => read.Any(e => e.Name == "synced");

    /// <summary>One pipeline event per catalog pipeline, in catalog order, then synced, all at the same id.</summary>
    internal static void AssertFill(IReadOnlyList<ServerSentEvent> fill)
    {
        Assert.Equal([.. Catalog.Select(_ => "pipeline"), "synced"], fill.Select(e => e.Name));
        Assert.Equal(Catalog, fill.SkipLast(1).Select(e => e.Json.GetProperty("pipeline").GetString()));
        Assert.Matches("^[0-9a-f]{12}-[0-9]+$", fill[^1].Id);
        Assert.All(fill, e => Assert.Equal(fill[^1].Id, e.Id));
        Assert.Equal("{}", fill[^1].Data);
    }

    /// <summary>The latest run's state when <paramref name="e"/> is a pipeline event of <paramref name="pipeline"/> with a latest run.</summary>
    internal static string? LatestState(ServerSentEvent e, string pipeline) =>
        e.Name == "pipeline" && e.Json.GetProperty("pipeline").GetString() == pipeline && e.Json.GetProperty("latest") is { ValueKind: JsonValueKind.Object } latest
            ? latest.GetProperty("state").GetString()
            : null;

    private static string? Output(ServerSentEvent e, string runId) =>
        e.Name == "output" && e.Json.GetProperty("runId").GetString() == runId ? e.Json.GetProperty("line").GetString() : null;

    private static bool Metrics(ServerSentEvent e, string runId) => e.Name == "metrics" && e.Json.GetProperty("runId").GetString() == runId;

    private static string Stream(string id) => id[..id.LastIndexOf('-')];

    private static long Sequence(string id) => long.Parse(id[(id.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>Every event after <paramref name="after"/> is of its stream, with a larger number than the one before it.</summary>
    private static void AssertIncreasing(string after, IEnumerable<ServerSentEvent> events)
    {
        var previous = Sequence(after);
        foreach (var e in events.Where(e => !e.IsComment))
        {
            Assert.Equal(Stream(after), Stream(e.Id!));
            Assert.True(Sequence(e.Id!) > previous, $"{e.Id} after {previous}");
            previous = Sequence(e.Id!);
        }
    }
}
