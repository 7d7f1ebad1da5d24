using System.Net;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>One real Submitter in service mode, ready cluster, shared by the API tests of this class.</summary>
public sealed class ServiceApiFixture : ServiceFixture;

/// <summary>The HTTP API of the real Submitter process over real HTTP, against the loopback fakes and real Python clients.</summary>
public sealed class ServiceApiTests(ServiceApiFixture fixture) : IClassFixture<ServiceApiFixture>
{
    private LoopbackCluster Cluster => fixture.Cluster;

    private ServiceSubmitterProcess Service => fixture.Service;

    [Fact]
    public async Task Get_pipelines_lists_the_catalog_in_order_without_its_arguments_or_scripts()
    {
        var response = await Service.GetAsync("/pipelines");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType?.MediaType);
        var pipelines = response.Json.EnumerateArray().ToList();
        Assert.Equal(["ok", "fail", "forever", "wide", "echo"], pipelines.Select(p => p.GetProperty("name").GetString()));
        var wide = pipelines[3];
        Assert.Equal(["name", "description", "parallelism", "overridable"], wide.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, wide.GetProperty("parallelism").GetInt32());
        Assert.Equal("test pipeline running succeed.py", wide.GetProperty("description").GetString());
        Assert.Empty(wide.GetProperty("overridable").EnumerateArray());
        Assert.DoesNotContain(Cluster.Flink.RestUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Cluster.Root, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_runs_starts_a_run_that_reaches_Succeeded_is_listed_and_passes_its_arguments_verbatim()
    {
        const string tricky = "$(touch /tmp/pwned) `id`; echo x | cat > 'q' \"dq\" * ~";

        var response = await Service.PostAsync("/runs", JsonSerializer.Serialize(new { pipeline = "echo", args = new[] { "--note", tricky } }));

        Assert.True(response.Status == HttpStatusCode.Accepted, response.ToString());
        var accepted = response.Json;
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/runs/{id}", response.Location?.OriginalString);
        Assert.Equal("echo", accepted.GetProperty("pipeline").GetString());
        Assert.Equal(["--note", tricky], accepted.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        var jobName = accepted.GetProperty("jobName").GetString()!;
        Assert.StartsWith("echo-", jobName, StringComparison.Ordinal);

        var run = await Service.WaitForEndAsync(id);

        Assert.True(ServiceSubmitterProcess.State(run) == "Succeeded", run.ToString());
        Assert.Equal(FlinkJobStates.Finished, run.GetProperty("flinkState").GetString());
        Assert.Equal(0, run.GetProperty("clientExitCode").GetInt32());
        var job = Assert.Single(Cluster.Flink.Jobs, j => j.Name == jobName);
        Assert.Equal(job.Id, run.GetProperty("flinkJobId").GetString());
        Assert.Equal(["--note", tricky], Cluster.EchoedArguments(id).TakeLast(2));

        var list = await Service.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = Assert.Single(list.Json.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("Succeeded", ServiceSubmitterProcess.State(listed));
    }

    [Fact]
    public async Task Post_runs_of_an_unknown_pipeline_is_a_400_problem_naming_it_and_the_catalogued_ones()
    {
        var before = await RunCountAsync();

        var response = await Service.PostAsync("/runs", """{"pipeline":"wordcount","args":[]}""");

        var problem = response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("Unknown pipeline", problem.GetProperty("title").GetString());
        Assert.Equal("Unknown pipeline 'wordcount'. The catalog has: ok, fail, forever, wide, echo.", problem.GetProperty("detail").GetString());
        Assert.Equal("wordcount", problem.GetProperty("pipeline").GetString());
        Assert.Equal("pipeline", problem.GetProperty("field").GetString());
        Assert.Equal(["ok", "fail", "forever", "wide", "echo"], problem.GetProperty("pipelines").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(before, await RunCountAsync());
        Assert.DoesNotContain(Cluster.Flink.Jobs, j => j.Name.StartsWith("wordcount", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"pipeline\":", null, "The body is not valid JSON: it breaks off or has a syntax error at line 1, byte 13.")]
    [InlineData("{\"pipeline\":\"ok\" \"args\":[]}", null, "The body is not valid JSON: it breaks off or has a syntax error at line 1, byte 18.")]
    [InlineData("", null, "The body is empty; send a JSON object like {\"pipeline\":\"ok\",\"args\":[]}.")]
    [InlineData("[\"ok\"]", null, "The body must be a JSON object like {\"pipeline\":\"ok\",\"args\":[]}.")]
    [InlineData("{\"pipeline\":5}", "pipeline", "\"pipeline\" must be a string naming a pipeline; the catalog has: ok, fail, forever, wide, echo.")]
    [InlineData("{\"pipeline\":\"ok\",\"args\":\"--n 2\"}", "args", "\"args\" must be an array of strings, like [\"--min-count\",\"2\"].")]
    [InlineData("{\"pipeline\":\"ok\",\"args\":[\"--n\",2]}", "args", "args[1] must be a string.")]
    [InlineData("{\"pipeline\":\"ok\",\"argz\":[]}", null, "\"argz\" is not a field of a run request; it has \"pipeline\" and \"args\".")]
    [InlineData("{\"pipeline\":\"ok\",\"args\":[null]}", "args", "\"args\" must be an array of strings; it contains null.")]
    [InlineData("{\"args\":[]}", "pipeline", "The run request needs a \"pipeline\"; the catalog has: ok, fail, forever, wide, echo.")]
    [InlineData("null", "pipeline", "The run request needs a \"pipeline\"; the catalog has: ok, fail, forever, wide, echo.")]
    [InlineData("{\"pipeline\":\"ok\",\"args\":[\"--job_name\",\"mine\"]}", "args", "set job_name, which the system owns")]
    public async Task A_malformed_run_request_is_a_400_problem_naming_the_field_in_the_APIs_own_words_and_starts_nothing(string body, string? field, string detail)
    {
        var before = await RunCountAsync();

        var response = await Service.PostAsync("/runs", body);

        var problem = response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("Malformed run request", problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(field, problem.TryGetProperty("field", out var named) ? named.GetString() : null);
        AssertNoTypeNames(response.Body);
        Assert.Equal(before, await RunCountAsync());
    }

    [Fact]
    public async Task A_run_request_that_is_not_JSON_is_a_415_problem_saying_what_to_send()
    {
        var form = await Service.SendAsync(HttpMethod.Post, "/runs", "pipeline=ok", "application/x-www-form-urlencoded");
        var none = await Service.PostAsync("/runs");

        Assert.Equal(
            "Send Content-Type: application/json with a JSON body; got 'application/x-www-form-urlencoded; charset=utf-8'.",
            form.AssertProblem(HttpStatusCode.UnsupportedMediaType).GetProperty("detail").GetString());
        Assert.Equal(
            "Send Content-Type: application/json with a JSON body like {\"pipeline\":\"ok\",\"args\":[]}; got 'no content type'.",
            none.AssertProblem(HttpStatusCode.UnsupportedMediaType).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "/runs/0123456789abcdef")]
    [InlineData("POST", "/runs/0123456789abcdef/cancel")]
    public async Task An_unknown_run_is_a_404_problem_naming_the_id(string method, string path)
    {
        var response = await Service.SendAsync(new HttpMethod(method), path);

        var problem = response.AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal("Unknown run", problem.GetProperty("title").GetString());
        Assert.Equal("No run has the id '0123456789abcdef'.", problem.GetProperty("detail").GetString());
        Assert.Equal("0123456789abcdef", problem.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task An_unknown_route_and_a_wrong_method_are_problems_too()
    {
        (await Service.GetAsync("/jobs")).AssertProblem(HttpStatusCode.NotFound);
        (await Service.SendAsync(HttpMethod.Delete, "/runs")).AssertProblem(HttpStatusCode.MethodNotAllowed);
        (await Service.SendAsync(HttpMethod.Put, "/runs/validate")).AssertProblem(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Cancelling_a_running_run_cancels_its_job_ends_its_client_and_a_second_cancel_is_a_409_problem()
    {
        var id = await Service.StartRunAsync("forever");
        var running = await Service.WaitForRunAsync(id, r => ServiceSubmitterProcess.State(r) == "Running" && Cluster.ClientPid(id) is not null, "is Running with its client");
        var jobId = running.GetProperty("flinkJobId").GetString()!;
        var pid = Cluster.ClientPid(id)!.Value;
        Assert.Equal(FlinkJobStates.Running, Cluster.Flink.FindJob(jobId)!.State);

        var response = await Service.PostAsync($"/runs/{id}/cancel");

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal("Cancelled", ServiceSubmitterProcess.State(response.Json));
        Assert.Equal(jobId, response.Json.GetProperty("flinkJobId").GetString());
        Assert.Contains(jobId, Cluster.Flink.CancelledJobIds);
        Assert.Equal(FlinkJobStates.Canceled, Cluster.Flink.FindJob(jobId)!.State);
        await EngineHarness.WaitUntilAsync(() => !SubmitterProcess.IsAlive(pid), $"client {pid} is gone");
        Assert.Equal("Cancelled", ServiceSubmitterProcess.State((await Service.GetAsync($"/runs/{id}")).Json));

        var again = await Service.PostAsync($"/runs/{id}/cancel");

        var problem = again.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal("The run is not active", problem.GetProperty("title").GetString());
        Assert.Equal($"Run '{id}' is already Cancelled; only an active run can be cancelled.", problem.GetProperty("detail").GetString());
        Assert.Equal("Cancelled", problem.GetProperty("state").GetString());
        Assert.Single(Cluster.Flink.CancelledJobIds, j => j == jobId);
        Assert.Equal(HttpStatusCode.OK, (await Service.GetAsync("/alive")).Status);
    }

    [Fact]
    public async Task Cancel_active_cancels_every_active_run_and_leaves_ended_ones_alone()
    {
        var ended = await Service.StartRunAsync("ok");
        Assert.Equal("Succeeded", ServiceSubmitterProcess.State(await Service.WaitForEndAsync(ended)));
        string[] active = [await Service.StartRunAsync("forever"), await Service.StartRunAsync("forever")];
        foreach (var id in active)
        {
            await Service.WaitForRunAsync(id, r => ServiceSubmitterProcess.State(r) == "Running", "is Running");
        }

        var response = await Service.PostAsync("/runs/cancel-active");

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        var cancelled = response.Json.GetProperty("cancelled").EnumerateArray().ToList();
        Assert.Equal(active.Order(), cancelled.Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(cancelled, r => Assert.Equal("Cancelled", ServiceSubmitterProcess.State(r)));
        foreach (var run in cancelled)
        {
            var jobId = run.GetProperty("flinkJobId").GetString()!;
            Assert.Contains(jobId, Cluster.Flink.CancelledJobIds);
            Assert.Equal(FlinkJobStates.Canceled, Cluster.Flink.FindJob(jobId)!.State);
        }

        Assert.Equal("Succeeded", ServiceSubmitterProcess.State((await Service.GetAsync($"/runs/{ended}")).Json));
        Assert.Empty((await Service.PostAsync("/runs/cancel-active")).Json.GetProperty("cancelled").EnumerateArray());
    }

    [Fact]
    public async Task Health_and_alive_are_healthy_while_the_cluster_is_ready()
    {
        var health = await Service.GetAsync("/health");
        var alive = await Service.GetAsync("/alive");

        Assert.True(health.Status == HttpStatusCode.OK, health.ToString());
        Assert.Equal("Healthy", health.Json.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.Json.GetProperty("checks").GetProperty(ReadinessHealthCheck.Name).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, alive.Status);
        Assert.Equal("Healthy", alive.Json.GetProperty("status").GetString());
    }

    /// <summary>No message of the API names a .NET type (System.String, IReadOnlyList`1 and the like).</summary>
    internal static void AssertNoTypeNames(string body)
    {
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("`1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", body, StringComparison.Ordinal);
        Assert.DoesNotContain("FlinkBeam.", body, StringComparison.Ordinal);
    }

    private Task<int> RunCountAsync() => Service.RunCountAsync();
}
