using System.Net;
using System.Net.Sockets;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;

namespace FlinkBeam.Cluster.Tests;

public sealed class FlinkRestClientTests : IAsyncLifetime
{
    private static readonly string[] VertexMetrics = ["numRecordsIn", "numRecordsOut", "numRecordsOutPerSecond", "backPressuredTimeMsPerSecond", "busyTimeMsPerSecond"];
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

    private void Answer(int status, string body, string contentType = "application/json; charset=UTF-8") =>
        _flink.Interceptor = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body, context.RequestAborted);
            return true;
        };

    [Fact]
    public async Task Overview_reads_taskmanagers_slots_and_job_counts()
    {
        _flink.TaskManagers = 3;
        _flink.SlotsPerTaskManager = 4;
        _flink.AddJob("wordcount-ab12cd34", FlinkJobStates.Running, parallelism: 2);
        _flink.AddJob("wordcount-older", FlinkJobStates.Finished);

        var overview = await _client.GetOverviewAsync(Ct);

        Assert.Equal(new FlinkOverview(3, 12, 10, 1, 1, 0, 0, "1.20.0", _flink.FlinkCommit), overview);
        Assert.Equal(1, _flink.RequestCount("/overview"));
    }

    [Fact]
    public async Task Overview_reports_the_slots_available_override()
    {
        _flink.SlotsAvailableOverride = 0;

        var overview = await _client.GetOverviewAsync(Ct);

        Assert.Equal(2, overview.SlotsTotal);
        Assert.Equal(0, overview.SlotsAvailable);
    }

    [Fact]
    public async Task TaskManagers_report_their_slots_and_free_slots()
    {
        _flink.TaskManagers = 2;
        _flink.AddJob("wordcount-ab12cd34", FlinkJobStates.Running, parallelism: 3);

        var taskManagers = await _client.GetTaskManagersAsync(Ct);

        Assert.Equal(2, taskManagers.Count);
        Assert.Equal([2, 2], taskManagers.Select(t => t.SlotsNumber));
        Assert.Equal([0, 1], taskManagers.Select(t => t.FreeSlots));
        Assert.Equal(2, taskManagers.Select(t => t.Id).Distinct().Count());
        Assert.All(taskManagers, t => Assert.StartsWith("pekko.tcp://flink@", t.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jobs_overview_lists_jobs_with_flinks_fields()
    {
        var running = _flink.AddJob("wordcount-ab12cd34");
        var done = _flink.AddJob("wordcount-ef56ab78", FlinkJobStates.Finished);

        var jobs = await _client.GetJobsOverviewAsync(Ct);

        var r = Assert.Single(jobs, j => j.Id == running.Id);
        Assert.Equal(("wordcount-ab12cd34", "RUNNING", -1L), (r.Name, r.State, r.EndTime));
        Assert.True(r.StartTime > 1_600_000_000_000, "start-time is epoch milliseconds");
        var d = Assert.Single(jobs, j => j.Id == done.Id);
        Assert.Equal("FINISHED", d.State);
        Assert.True(d.EndTime >= d.StartTime);
        Assert.Equal(d.EndTime, d.LastModification);
    }

    [Fact]
    public async Task Job_details_are_read_by_id()
    {
        var job = _flink.AddJob("wordcount-ab12cd34", FlinkJobStates.Restarting);

        var details = await _client.GetJobAsync(job.Id, Ct);

        Assert.Equal(new FlinkJobDetails(job.Id, "wordcount-ab12cd34", "RESTARTING", job.StartTime, -1, details.Duration), details);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_carrying_flinks_errors()
    {
        var id = new string('a', 32);

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetJobAsync(id, Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal(FlinkRestFailureKind.HttpStatus, ex.Kind);
        Assert.Equal($"/jobs/{id}", ex.Path);
        Assert.Contains($"Job {id} not found", Assert.Single(ex.Errors), StringComparison.Ordinal);
        // Only the first line of Flink's Java stack trace goes into the message.
        Assert.Contains($"/jobs/{id} answered 404", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\tat ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_exceptions_come_from_the_exception_history()
    {
        var job = _flink.AddJob("wordcount-ab12cd34", FlinkJobStates.Failed);
        _flink.SetJobException(job.Id, "java.lang.RuntimeException",
            "java.lang.RuntimeException: Pipeline failed\n\tat Foo.bar(Foo.java:1)\nCaused by: java.io.FileNotFoundException: /artifacts/x (No such file or directory)\n\tat Baz.qux(Baz.java:2)");

        var exceptions = await _client.GetJobExceptionsAsync(job.Id, Ct);

        var entry = Assert.Single(exceptions.Entries);
        Assert.Equal("java.lang.RuntimeException", entry.ExceptionName);
        Assert.Null(entry.TaskName);
        Assert.False(exceptions.Truncated);
        Assert.Equal("java.io.FileNotFoundException: /artifacts/x (No such file or directory)", exceptions.RootCause);
    }

    [Fact]
    public async Task A_job_without_failures_has_no_entries_and_no_root_cause()
    {
        var job = _flink.AddJob("wordcount-ab12cd34");

        var exceptions = await _client.GetJobExceptionsAsync(job.Id, Ct);

        Assert.Empty(exceptions.Entries);
        Assert.Null(exceptions.RootCause);
    }

    [Fact]
    public async Task Older_flink_exception_format_is_read_from_all_exceptions()
    {
        Answer(200, """
            {"root-exception":"java.lang.IllegalStateException: boom\n\tat A.b(A.java:1)","timestamp":1700000000000,
             "all-exceptions":[{"exception":"java.lang.IllegalStateException: boom\n\tat A.b(A.java:1)","task":"Map (1/1)","location":"tm:6122","timestamp":1700000000000}],
             "truncated":true}
            """);

        var exceptions = await _client.GetJobExceptionsAsync(new string('b', 32), Ct);

        var entry = Assert.Single(exceptions.Entries);
        Assert.Equal(("java.lang.IllegalStateException", "Map (1/1)", 1_700_000_000_000L), (entry.ExceptionName, entry.TaskName, entry.Timestamp));
        Assert.True(exceptions.Truncated);
        Assert.Equal("java.lang.IllegalStateException: boom", exceptions.RootCause);
    }

    [Fact]
    public async Task Cancel_is_accepted_with_202_and_the_job_becomes_CANCELED()
    {
        var job = _flink.AddJob("wordcount-ab12cd34");

        await _client.CancelJobAsync(job.Id, Ct);

        Assert.Equal([job.Id], _flink.CancelledJobIds);
        Assert.Contains($"PATCH /jobs/{job.Id}?mode=cancel", _flink.RequestLog);
        Assert.Equal(FlinkJobStates.Canceled, (await _client.GetJobAsync(job.Id, Ct)).State);
    }

    [Fact]
    public async Task Cancel_of_a_finished_job_is_a_409_conflict()
    {
        var job = _flink.AddJob("wordcount-ab12cd34", FlinkJobStates.Finished);

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.CancelJobAsync(job.Id, Ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Contains("FINISHED", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FlinkJobStates.Finished, _flink.FindJob(job.Id)!.State);
    }

    [Fact]
    public async Task A_500_with_flinks_errors_body_names_the_path_and_the_error()
    {
        Answer(500, """{"errors":["Internal server error.","<Exception on server side:\norg.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException: Could not send message\n\tat x>"]}""");

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetJobsOverviewAsync(Ct));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("/jobs/overview", ex.Path);
        Assert.Equal(2, ex.Errors.Count);
        Assert.Equal("Flink REST GET /jobs/overview answered 500 Internal Server Error: Internal server error.", ex.Message);
    }

    [Fact]
    public async Task A_non_json_error_body_is_quoted_in_the_message()
    {
        Answer(502, "<html>Bad Gateway</html>", "text/html");

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetOverviewAsync(Ct));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Empty(ex.Errors);
        Assert.Contains("<html>Bad Gateway</html>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_json_is_a_malformed_response_naming_the_path()
    {
        Answer(200, """{"taskmanagers":1,"slots-total":2,"slots-av""");

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetOverviewAsync(Ct));

        Assert.Equal(FlinkRestFailureKind.MalformedResponse, ex.Kind);
        Assert.Equal("/overview", ex.Path);
        Assert.StartsWith("Flink REST GET /overview returned malformed JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_reported_with_its_json_path()
    {
        Answer(200, """{"taskmanagers":1,"slots-total":"many","slots-available":1}""");

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetOverviewAsync(Ct));

        Assert.Equal(FlinkRestFailureKind.MalformedResponse, ex.Kind);
        Assert.Contains("$.slots-total", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_field_is_named()
    {
        Answer(200, """{"jobs":[{"jid":"0123456789abcdef0123456789abcdef","name":"x","start-time":1}]}""");

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => _client.GetJobsOverviewAsync(Ct));

        Assert.Equal(FlinkRestFailureKind.MalformedResponse, ex.Kind);
        Assert.Contains("\"jobs[0].state\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        Answer(200, """
            {"taskmanagers":1,"slots-total":2,"slots-available":2,"jobs-running":0,"jobs-finished":0,"jobs-cancelled":0,
             "jobs-failed":0,"flink-version":"2.1.0","flink-commit":"abc","future-field":{"nested":[1,2,{"x":null}]},"another":true}
            """);

        var overview = await _client.GetOverviewAsync(Ct);

        Assert.Equal(new FlinkOverview(1, 2, 2, 0, 0, 0, 0, "2.1.0", "abc"), overview);
    }

    [Fact]
    public async Task A_slow_answer_past_the_HttpClient_timeout_is_a_timeout_naming_the_path()
    {
        _flink.Interceptor = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return false;
        };
        using var http = new HttpClient { BaseAddress = _flink.RestUrl, Timeout = TimeSpan.FromMilliseconds(300) };

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => new FlinkRestClient(http).GetTaskManagersAsync(Ct));

        Assert.Equal(FlinkRestFailureKind.Timeout, ex.Kind);
        Assert.Null(ex.StatusCode);
        Assert.Equal("Flink REST GET /taskmanagers timed out after 300ms at " + _flink.RestUrl + ".", ex.Message);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_an_OperationCanceledException()
    {
        _flink.Interceptor = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return false;
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetOverviewAsync(cts.Token));
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var ex = await Assert.ThrowsAsync<FlinkRestException>(() => new FlinkRestClient(http).GetOverviewAsync(Ct));

        Assert.Equal(FlinkRestFailureKind.Unreachable, ex.Kind);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-job-id")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    public async Task A_malformed_job_id_is_rejected_before_any_request(string jobId)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.CancelJobAsync(jobId, Ct));

        Assert.Contains($"'{jobId}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_flink.RequestLog);
    }

    [Fact]
    public void RootCause_of_a_beam_python_failure_is_the_python_exception_line()
    {
        const string stack = """
            org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy
            	at org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:180)
            Caused by: java.lang.RuntimeException: Error received from SDK harness for instruction 4: Traceback (most recent call last):
              File "/usr/local/lib/python3.12/site-packages/apache_beam/runners/worker/sdk_worker.py", line 311, in _execute
                response = task()
              File "/pipelines/wordcount.py", line 20, in parse
                raise ValueError("bad line 7")
            ValueError: bad line 7 [while running 'Parse']

            	at org.apache.beam.runners.fnexecution.control.FnApiControlClient$ResponseStreamObserver.onNext(FnApiControlClient.java:180)
            """;
        var exceptions = new FlinkJobExceptions([new FlinkExceptionEntry("org.apache.flink.runtime.JobException", stack, 1, null)], false, null);

        Assert.Equal("ValueError: bad line 7 [while running 'Parse']", exceptions.RootCause);
    }

    [Fact]
    public void Terminal_flink_states_are_finished_failed_canceled_suspended()
    {
        Assert.Equal(
            ["FAILED", "CANCELED", "FINISHED", "SUSPENDED"],
            FlinkJobStates.All.Where(FlinkJobStates.IsTerminal));
        Assert.Equal(11, FlinkJobStates.All.Count);
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

        var metrics = await _client.GetVertexMetricsAsync(job.Id, vertex, VertexMetrics, Ct);

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
        Answer(200, body);

        Assert.Equal(new FlinkCheckpointStatistics(4, 1, new FlinkCompletedCheckpoint(5, 90, 4096, 1024)), await _client.GetCheckpointStatisticsAsync(new string('c', 32), Ct));
    }

    [Theory]
    [InlineData("""[{"min":1,"sum":2}]""", "\"[0].id\"")]
    [InlineData("""{"numRecordsIn":1}""", "malformed JSON")]
    public async Task A_metrics_answer_that_is_not_flinks_shape_is_malformed(string body, string message)
    {
        Answer(200, body);

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
}
