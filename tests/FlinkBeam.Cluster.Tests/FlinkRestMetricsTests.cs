using System.Net;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The Flink REST client's metrics reads against the fake's answers in Flink's documented shapes, and the metrics client's registration.</summary>
public sealed class FlinkRestMetricsTests : IAsyncLifetime
{
    private static readonly string[] AllVertexMetrics = ["numRecordsIn", "numRecordsOut", "numRecordsOutPerSecond", "backPressuredTimeMsPerSecond", "busyTimeMsPerSecond"];
    private FakeFlinkCluster _flink = null!;
    private HttpClient _http = null!;
    private FlinkRestClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _flink = await FakeFlinkCluster.StartAsync(Ct);
        _http = new HttpClient { BaseAddress = _flink.RestUrl, Timeout = TimeSpan.FromSeconds(10) };
        _client = new FlinkRestClient(_http);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _flink.DisposeAsync();
    }

    [Fact]
    public async Task A_jobs_vertices_are_read_from_its_details()
    {
        var job = _flink.AddJob("wordcount-ab12cd34", parallelism: 2);
        _flink.SetJobMetrics(job.Id, new FakeFlinkJobMetrics { Vertices = [new("[1]Read"), new("[2]Count -> Write")] });

        var vertices = await _client.GetJobVerticesAsync(job.Id, Ct);

        Assert.Equal(
            [new FlinkJobVertex(FakeFlinkCluster.VertexId(job.Id, 0), "[1]Read", 2), new FlinkJobVertex(FakeFlinkCluster.VertexId(job.Id, 1), "[2]Count -> Write", 2)],
            vertices);
    }

    [Fact]
    public async Task Vertex_metrics_are_asked_for_in_one_request_and_come_aggregated_over_the_subtasks()
    {
        var job = _flink.AddJob("wordcount-ab12cd34", parallelism: 4);
        _flink.SetJobMetrics(job.Id, new FakeFlinkJobMetrics
        {
            Vertices = [new("[1]Read", new Dictionary<string, double> { ["numRecordsIn"] = 100, ["busyTimeMsPerSecond"] = 8, ["numBytesIn"] = 5 })],
        });
        var vertex = FakeFlinkCluster.VertexId(job.Id, 0);

        var metrics = await _client.GetVertexMetricsAsync(job.Id, vertex, AllVertexMetrics, Ct);

        Assert.Equal([new FlinkAggregatedMetric("numRecordsIn", 25, 25, 25, 100), new FlinkAggregatedMetric("busyTimeMsPerSecond", 2, 2, 2, 8)], metrics);
        Assert.Equal(
            $"GET /jobs/{job.Id}/vertices/{vertex}/subtasks/metrics?get=numRecordsIn,numRecordsOut,numRecordsOutPerSecond,backPressuredTimeMsPerSecond,busyTimeMsPerSecond",
            Assert.Single(_flink.RequestLog));
    }

    [Fact]
    public async Task Job_metrics_come_as_text_and_a_metric_flink_does_not_have_is_not_listed()
    {
        var job = _flink.AddJob("wordcount-ab12cd34");
        _flink.SetJobMetrics(job.Id, new FakeFlinkJobMetrics { NumRestarts = 4 });

        Assert.Equal([new FlinkMetric("numRestarts", "4")], await _client.GetJobMetricsAsync(job.Id, ["numRestarts", "uptime"], Ct));

        _flink.SetJobMetrics(job.Id, new FakeFlinkJobMetrics { NumRestarts = null });
        Assert.Empty(await _client.GetJobMetricsAsync(job.Id, ["numRestarts"], Ct));
    }

    [Fact]
    public async Task Checkpoint_statistics_give_the_counts_and_the_latest_completed_checkpoint()
    {
        var job = _flink.AddJob("wordcount-ab12cd34");
        _flink.SetJobMetrics(job.Id, new FakeFlinkJobMetrics { Checkpoints = new FakeFlinkCheckpoints(3, 1, 120, 2048, 512) });

        Assert.Equal(new FlinkCheckpointStatistics(3, 1, new FlinkCompletedCheckpoint(4, 120, 2048, 512)), await _client.GetCheckpointStatisticsAsync(job.Id, Ct));

        _flink.SetJobMetrics(job.Id, new FakeFlinkJobMetrics { Checkpoints = new FakeFlinkCheckpoints(0, 2) });
        Assert.Equal(new FlinkCheckpointStatistics(0, 2, null), await _client.GetCheckpointStatisticsAsync(job.Id, Ct));
    }

    [Fact]
    public async Task A_job_that_does_not_checkpoint_is_a_404_saying_so()
    {
        var job = _flink.AddJob("wordcount-ab12cd34");

        var error = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetCheckpointStatisticsAsync(job.Id, Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("Checkpointing has not been enabled.", Assert.Single(error.Errors));
    }

    [Fact]
    public async Task Flinks_checkpoint_json_is_read_as_flink_1_20_writes_it()
    {
        const string body = """
            {"counts":{"restored":0,"total":6,"in_progress":1,"completed":4,"failed":1},
             "summary":{"checkpointed_size":{"min":0,"max":9,"avg":4,"p50":4.0,"p90":9.0,"p95":9.0,"p99":9.0,"p999":9.0}},
             "latest":{"completed":{"className":"completed","id":5,"status":"COMPLETED","is_savepoint":false,"savepointFormat":null,
               "trigger_timestamp":1765100000000,"latest_ack_timestamp":1765100000090,"checkpointed_size":1024,"state_size":4096,
               "end_to_end_duration":90,"alignment_buffered":0,"processed_data":0,"persisted_data":0,"num_subtasks":2,
               "num_acknowledged_subtasks":2,"checkpoint_type":"CHECKPOINT","tasks":{},"external_path":"<checkpoint-not-externally-addressable>","discarded":false},
               "savepoint":null,"failed":null,"restored":null},
             "history":[]}
            """;
        _flink.Interceptor = async context =>
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(body, context.RequestAborted);
            return true;
        };

        Assert.Equal(new FlinkCheckpointStatistics(4, 1, new FlinkCompletedCheckpoint(5, 90, 4096, 1024)), await _client.GetCheckpointStatisticsAsync(new string('c', 32), Ct));
    }

    [Theory]
    [InlineData("""[{"min":1,"sum":2}]""", "\"[0].id\"")]
    [InlineData("""{"numRecordsIn":1}""", "malformed JSON")]
    public async Task A_metrics_answer_that_is_not_flinks_shape_is_malformed(string body, string message)
    {
        _flink.Interceptor = async context =>
        {
            await context.Response.WriteAsync(body, context.RequestAborted);
            return true;
        };

        var error = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetVertexMetricsAsync(new string('a', 32), new string('b', 32), ["numRecordsIn"], Ct));

        Assert.Equal(FlinkRestFailureKind.MalformedResponse, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_and_metric_names_are_checked_before_anything_is_sent()
    {
        var job = new string('a', 32);

        Assert.Equal("vertexId", (await Assert.ThrowsAsync<ArgumentException>(() => _client.GetVertexMetricsAsync(job, "../../overview", ["numRecordsIn"], Ct))).ParamName);
        Assert.Equal("jobId", (await Assert.ThrowsAsync<ArgumentException>(() => _client.GetJobMetricsAsync("x", ["numRestarts"], Ct))).ParamName);
        Assert.Equal("metrics", (await Assert.ThrowsAsync<ArgumentException>(() => _client.GetJobMetricsAsync(job, [], Ct))).ParamName);
        Assert.Empty(_flink.RequestLog);
    }

    [Fact]
    public async Task The_metrics_client_sends_each_request_once_with_no_resilience_pipeline()
    {
        var requests = 0;
        var server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, context =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync("""{"errors":["JobManager is starting"]}""", context.RequestAborted);
        }, Ct);
        await using var _ = server;
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddFlinkRestClient(_ => server.Url);
        await using var provider = services.BuildServiceProvider();

        var handlers = new List<string>();
        for (var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(FlinkRestClientServiceCollectionExtensions.MetricsClientName);
             handler is DelegatingHandler delegating;
             handler = delegating.InnerHandler)
        {
            handlers.Add(delegating.GetType().Name);
        }

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateFlinkRestMetricsClient();
        var error = await Assert.ThrowsAsync<FlinkRestException>(() => client.GetJobMetricsAsync(new string('a', 32), ["numRestarts"], Ct));

        Assert.DoesNotContain("ResilienceHandler", handlers);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, Volatile.Read(ref requests));
        Assert.Equal(FlinkRestClientServiceCollectionExtensions.AttemptTimeout, provider.GetRequiredService<IHttpClientFactory>().CreateClient(FlinkRestClientServiceCollectionExtensions.MetricsClientName).Timeout);
    }
}
