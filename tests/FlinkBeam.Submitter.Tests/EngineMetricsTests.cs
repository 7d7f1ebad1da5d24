using FlinkBeam.Submitter.Metrics;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Telemetry;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// The metrics of running Flink jobs read from the fake Flink's REST API by the real collector, and exported as
/// OpenTelemetry gauges (in-memory exporter); rounds are run by the test, one at a time.
/// </summary>
public sealed class EngineMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_running_runs_figures_are_gauges_tagged_with_pipeline_run_and_vertex_and_they_go_when_the_run_ends()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Flink.DefaultJobMetrics = new FakeFlinkJobMetrics
        {
            Vertices =
            [
                new("[1]Read", new Dictionary<string, double> { ["numRecordsOut"] = 40, ["numRecordsOutPerSecond"] = 2.5, ["busyTimeMsPerSecond"] = 30 }),
                new("[2]Count", new Dictionary<string, double> { ["numRecordsIn"] = 40, ["backPressuredTimeMsPerSecond"] = 7 }),
            ],
            Checkpoints = new FakeFlinkCheckpoints(Completed: 5, Failed: 2, LatestDurationMs: 250, LatestStateSize: 8192),
            NumRestarts = 1,
        };
        var exported = new List<MetricSnapshot>();
        var (manager, collector, meters) = Start(h, exported);
        var run = await StartRunningAsync(h, manager);

        await collector.RoundAsync(Ct);
        meters.ForceFlush();

        var points = Points(exported, run.Id);
        Assert.Equal(40, points[("flinkbeam.job.records_out", "[1]Read")]);
        Assert.Equal(2.5, points[("flinkbeam.job.records_out.rate", "[1]Read")]);
        Assert.Equal(30, points[("flinkbeam.job.busy_time", "[1]Read")]);
        Assert.Equal(40, points[("flinkbeam.job.records_in", "[2]Count")]);
        Assert.Equal(7, points[("flinkbeam.job.backpressured_time", "[2]Count")]);
        Assert.Equal(5, points[("flinkbeam.job.checkpoints.completed", null)]);
        Assert.Equal(2, points[("flinkbeam.job.checkpoints.failed", null)]);
        Assert.Equal(250, points[("flinkbeam.job.checkpoint.duration", null)]);
        Assert.Equal(8192, points[("flinkbeam.job.checkpoint.size", null)]);
        Assert.Equal(1, points[("flinkbeam.job.restarts", null)]);
        // A figure Flink did not give is not reported.
        Assert.False(points.ContainsKey(("flinkbeam.job.records_in", "[1]Read")));
        Assert.Equal(10, points.Count);
        var units = exported.Where(m => m.Name.StartsWith("flinkbeam.job.", StringComparison.Ordinal)).ToDictionary(m => m.Name, m => m.Unit);
        Assert.Equal(("ms", "By", "ms/s", "{record}"), (units["flinkbeam.job.checkpoint.duration"], units["flinkbeam.job.checkpoint.size"], units["flinkbeam.job.busy_time"], units["flinkbeam.job.records_in"]));
        Assert.All(PointTags(exported, run.Id), tags => Assert.Equal("long-running", tags["pipeline"]));

        await manager.CancelAsync(run.Id, Ct);
        exported.Clear();
        meters.ForceFlush();

        Assert.Empty(Points(exported, run.Id));
    }

    [Fact]
    public async Task A_job_without_checkpoints_and_a_Flink_that_refuses_vertex_metrics_leave_figures_out_with_no_retries_and_no_error()
    {
        await using var h = await EngineHarness.StartAsync();
        var (manager, collector, _) = Start(h, []);
        var run = await StartRunningAsync(h, manager);
        var job = run.FlinkJobId!;
        Intercept(h.Flink, $"/jobs/{job}/vertices", context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return context.Response.WriteAsync("""{"errors":["Internal server error."]}""", context.RequestAborted);
        });

        for (var round = 0; round < 3; round++)
        {
            await collector.RoundAsync(Ct);
        }

        var figures = Assert.Single(collector.Current);
        Assert.Equal((run.Id, "long-running", job, 0L), (figures.RunId, figures.Pipeline, figures.FlinkJobId, figures.NumRestarts));
        Assert.Null(figures.Checkpoints);
        var vertex = Assert.Single(figures.Vertices);
        Assert.Equal((FakeFlinkCluster.VertexId(job, 0), FakeFlinkJobMetrics.DefaultVertex.Name), (vertex.Id, vertex.Name));
        Assert.Equal(new VertexFigures(vertex.Id, vertex.Name, null, null, null, null, null), vertex);

        // The vertex list once; the checkpoints once (Flink's 404 holds for the job's life); the rest once a round, never again.
        Assert.Equal(1, h.Flink.RequestCount($"/jobs/{job}"));
        Assert.Equal(1, h.Flink.RequestCount($"/jobs/{job}/checkpoints"));
        Assert.Equal(3, h.Flink.RequestCount($"/jobs/{job}/metrics"));
        Assert.Equal(3, h.Flink.RequestCount($"/jobs/{job}/vertices/{vertex.Id}/subtasks/metrics"));
        var logs = h.Logs.Entries.Where(e => e.Category.StartsWith("FlinkBeam.Submitter.Metrics", StringComparison.Ordinal)).ToList();
        Assert.Contains(logs, e => e.Level == LogLevel.Debug && e.Message.Contains("answered 500", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Level > LogLevel.Debug);
        await manager.CancelAsync(run.Id, Ct);
    }

    [Fact]
    public async Task A_Flink_that_cannot_be_reached_costs_one_request_per_job_and_round()
    {
        await using var h = await EngineHarness.StartAsync();
        var (manager, collector, _) = Start(h, []);
        var run = await StartRunningAsync(h, manager);
        var job = run.FlinkJobId!;
        Intercept(h.Flink, $"/jobs/{job}", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });

        await collector.RoundAsync(Ct);
        await collector.RoundAsync(Ct);

        var figures = Assert.Single(collector.Current);
        Assert.Equal((null, null, 0), (figures.NumRestarts, figures.Checkpoints, figures.Vertices.Count));
        Assert.Equal(2, h.Flink.RequestCounts.Where(p => p.Key.StartsWith($"/jobs/{job}", StringComparison.Ordinal)).Sum(p => p.Value));
        h.Flink.Interceptor = null;
        await manager.CancelAsync(run.Id, Ct);
    }

    private static (RunManager Manager, JobMetricsCollector Collector, MeterProvider Meters) Start(EngineHarness h, List<MetricSnapshot> exported)
    {
        var manager = h.CreateManager(configure: services =>
        {
            services.AddJobMetrics();
            services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(SubmitterTelemetry.Name).AddInMemoryExporter(exported));
        });
        var services = h.Services(manager);
        return (manager, services.GetRequiredService<JobMetricsCollector>(), services.GetRequiredService<MeterProvider>());
    }

    /// <summary>Makes the fake answer the requests under <paramref name="prefix"/> with <paramref name="answer"/>, the others as usual.</summary>
    private static void Intercept(FakeFlinkCluster flink, string prefix, Func<HttpContext, Task> answer) =>
        flink.Interceptor = async context =>
        {
            if (!context.Request.Path.StartsWithSegments(prefix))
            {
                return false;
            }

            await answer(context);
            return true;
        };

    private static async Task<RunRecord> StartRunningAsync(EngineHarness h, RunManager manager)
    {
        var run = await manager.StartAsync(new RunRequest("long-running", ["--pids", h.TempFile($"{Guid.NewGuid():N}.pid")]), Ct);
        await EngineHarness.WaitUntilAsync(
            () => manager.Get(run.Id) is { } r && (r.State == RunState.Running || (r.State.IsTerminal() ? throw new InvalidOperationException($"The run ended {r.State}: {r.Error}") : false)),
            $"run {run.Id} is Running");
        return manager.Get(run.Id)!;
    }

    /// <summary>The exported points of <paramref name="runId"/>: (instrument, vertex tag) → value.</summary>
    private static Dictionary<(string Instrument, string? Vertex), double> Points(List<MetricSnapshot> exported, string runId) =>
        (from metric in exported
         from point in metric.MetricPoints
         let tags = Tags(point)
         where tags.GetValueOrDefault("run_id") as string == runId
         select (Key: (metric.Name, tags.GetValueOrDefault("vertex") as string), Value: Value(metric, point)))
        .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static List<Dictionary<string, object?>> PointTags(List<MetricSnapshot> exported, string runId) =>
        exported.SelectMany(m => m.MetricPoints).Select(Tags).Where(t => t.GetValueOrDefault("run_id") as string == runId).ToList();

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static double Value(MetricSnapshot metric, MetricPoint point) =>
        metric.MetricType == MetricType.DoubleGauge ? point.GetGaugeLastValueDouble() : point.GetGaugeLastValueLong();
}
