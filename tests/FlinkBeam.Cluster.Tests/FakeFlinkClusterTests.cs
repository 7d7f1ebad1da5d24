using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The fake's own contract: the /__fake/ control endpoint and scripted state progression other tests rely on.</summary>
public sealed class FakeFlinkClusterTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000));
    private FakeFlinkCluster _flink = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _flink = await FakeFlinkCluster.StartAsync(_clock, Ct);
        _http = new HttpClient { BaseAddress = _flink.RestUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _flink.DisposeAsync();
    }

    private async Task<string> PostJobAsync(string json)
    {
        using var response = await _http.PostAsync("__fake/jobs", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("jid").GetString()!;
    }

    private async Task<string> ControlStateAsync(string jid)
    {
        using var body = JsonDocument.Parse(await _http.GetStringAsync($"__fake/jobs/{jid}", Ct));
        return body.RootElement.GetProperty("state").GetString()!;
    }

    [Fact]
    public async Task A_scripted_job_advances_through_its_states_by_time_and_the_last_one_stays()
    {
        var jid = await PostJobAsync("""{"name":"wordcount-ab12cd34","parallelism":1,"states":[{"state":"INITIALIZING","ms":100},{"state":"RUNNING","ms":300},{"state":"FINISHED"}],"exception":null}""");
        Assert.Matches("^[0-9a-f]{32}$", jid);
        var client = new FlinkRestClient(_http);

        Assert.Equal("INITIALIZING", await ControlStateAsync(jid));
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal("RUNNING", await ControlStateAsync(jid));
        Assert.Equal(1, (await client.GetOverviewAsync(Ct)).JobsRunning);
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal("FINISHED", await ControlStateAsync(jid));
        _clock.Advance(TimeSpan.FromHours(1));

        var job = Assert.Single(await client.GetJobsOverviewAsync(Ct));
        Assert.Equal(("wordcount-ab12cd34", "FINISHED"), (job.Name, job.State));
        Assert.Equal(job.StartTime + 400, job.EndTime);
        Assert.Equal(400, job.Duration);
    }

    [Fact]
    public async Task A_scripted_exception_shows_only_once_the_job_reaches_FAILED()
    {
        var jid = await PostJobAsync("""{"name":"broken","states":[{"state":"RUNNING","ms":200},{"state":"FAILED"}],"exception":{"name":"java.lang.RuntimeException","stacktrace":"java.lang.RuntimeException: boom\n\tat X.y(X.java:1)"}}""");
        var client = new FlinkRestClient(_http);

        Assert.Empty((await client.GetJobExceptionsAsync(jid, Ct)).Entries);
        _clock.Advance(TimeSpan.FromMilliseconds(250));

        var exceptions = await client.GetJobExceptionsAsync(jid, Ct);
        Assert.Equal("java.lang.RuntimeException", Assert.Single(exceptions.Entries).ExceptionName);
        Assert.Equal("java.lang.RuntimeException: boom\n\tat X.y(X.java:1)", exceptions.RootException);
        Assert.Equal(1, (await client.GetOverviewAsync(Ct)).JobsFailed);
    }

    [Fact]
    public async Task Running_jobs_hold_slots_until_they_end()
    {
        _flink.SlotsPerTaskManager = 4;
        await PostJobAsync("""{"name":"a","parallelism":3,"states":[{"state":"RUNNING","ms":1000},{"state":"FINISHED"}]}""");
        var client = new FlinkRestClient(_http);

        Assert.Equal(1, (await client.GetOverviewAsync(Ct)).SlotsAvailable);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, (await client.GetOverviewAsync(Ct)).SlotsAvailable);
    }

    [Fact]
    public async Task Cancelling_a_scripted_job_drops_its_remaining_phases()
    {
        var jid = await PostJobAsync("""{"name":"long","states":[{"state":"RUNNING","ms":1000},{"state":"FINISHED"}]}""");

        await new FlinkRestClient(_http).CancelJobAsync(jid, Ct);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("CANCELED", await ControlStateAsync(jid));
    }

    [Fact]
    public async Task A_state_wait_answers_once_the_state_is_no_longer_the_one_given()
    {
        var job = _flink.AddJob("wordcount-wait");

        Assert.Equal("RUNNING", await ControlStateAsync($"{job.Id}?after=CREATED"));
        var waiting = ControlStateAsync($"{job.Id}?after=RUNNING");
        await Task.Delay(200, Ct);
        Assert.False(waiting.IsCompleted);
        _flink.SetJobState(job.Id, FlinkJobStates.Finished);

        Assert.Equal("FINISHED", await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    [Theory]
    [InlineData("""{"name":"x","states":[{"state":"DONE"}]}""", "'DONE' is not a Flink job state")]
    [InlineData("""{"states":[{"state":"RUNNING"}]}""", "name")]
    [InlineData("""{"name":"x","states":[{"state":"RUNNING"},{"state":"FINISHED"}]}""", "needs a non-negative duration")]
    [InlineData("""{"name":"x","parallelism":0}""", "Parallelism must be at least 1")]
    [InlineData("""{"name":"x",""", "not JSON")]
    public async Task Invalid_control_requests_are_400_with_a_reason_and_add_nothing(string json, string reason)
    {
        using var response = await _http.PostAsync("__fake/jobs", new StringContent(json), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(reason, body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(_flink.Jobs);
    }

    [Fact]
    public async Task Unknown_jobs_and_paths_answer_like_flink()
    {
        using var unknownControl = await _http.GetAsync($"__fake/jobs/{new string('0', 32)}", Ct);
        using var badId = await _http.GetAsync("jobs/not-a-jid", Ct);
        using var unknownPath = await _http.GetAsync("v1/nothing", Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknownControl.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        var errors = await unknownPath.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Not found: /v1/nothing", errors.GetProperty("errors")[0].GetString());
    }

    [Fact]
    public async Task Requests_are_counted_by_path_and_the_interceptor_sees_them_first()
    {
        var calls = 0;
        _flink.Interceptor = context =>
        {
            calls++;
            return Task.FromResult(false);
        };
        var client = new FlinkRestClient(_http);

        await client.GetOverviewAsync(Ct);
        await client.GetOverviewAsync(Ct);
        await client.GetTaskManagersAsync(Ct);

        Assert.Equal(2, _flink.RequestCount("/overview"));
        Assert.Equal(1, _flink.RequestCount("/taskmanagers"));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void Bad_arguments_to_the_csharp_api_name_the_allowed_choices()
    {
        var ex = Assert.Throws<ArgumentException>(() => _flink.AddJob("x", "DONE"));
        Assert.Contains("RUNNING", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _flink.SetJobState(new string('f', 32), FlinkJobStates.Running));
    }

    [Fact]
    public async Task A_python_child_process_can_script_a_job_and_wait_for_it_to_finish()
    {
        // Submitter tests use this exact pattern: a Python process that plays a Beam client against the fake.
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);
        const string script = """
            import json, sys, time, urllib.request
            base = sys.argv[1]
            body = json.dumps({"name": sys.argv[2], "parallelism": 1,
                               "states": [{"state": "RUNNING", "ms": 150}, {"state": "FINISHED"}]}).encode()
            req = urllib.request.Request(base + "__fake/jobs", data=body, headers={"Content-Type": "application/json"}, method="POST")
            jid = json.load(urllib.request.urlopen(req))["jid"]
            deadline = time.time() + 20
            while time.time() < deadline:
                state = json.load(urllib.request.urlopen(base + "__fake/jobs/" + jid))["state"]
                if state == "FINISHED":
                    print(jid)
                    sys.exit(0)
                time.sleep(0.05)
            sys.exit(3)
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", script, flink.RestUrl.ToString(), "wordcount-py000001" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        var job = Assert.Single(flink.Jobs);
        Assert.Equal((job.Id, "wordcount-py000001", "FINISHED"), ((await stdout).Trim(), job.Name, job.State));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
