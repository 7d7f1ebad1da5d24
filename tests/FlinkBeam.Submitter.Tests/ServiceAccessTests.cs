using System.Net;
using System.Text.Json;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// One real Submitter on loopback without a key, its catalog with entries that fix arguments (<c>echo</c>) and that
/// let callers set some (<c>echo-open</c>), shared by the tests of <see cref="ServiceAccessTests"/>.
/// </summary>
public sealed class ServiceAccessFixture : ServiceFixture
{
    protected override void Configure(LoopbackCluster cluster, Dictionary<string, string> environment)
    {
        var pids = Path.Combine(cluster.PidDirectory, "{runId}.pid");
        cluster.WriteCatalog(
        [
            new CatalogEntry("forever", "long_running.py", 1, ["--pids", pids]),
            new CatalogEntry("forever-too", "long_running.py", 1, ["--pids", pids]),
            new CatalogEntry("echo", "echo_args.py", 1, ["--out", cluster.EchoFile("{runId}"), "--note", "fixed"]),
            new CatalogEntry("echo-open", "echo_args.py", 2, ["--out", cluster.EchoFile("{runId}"), "--note", "fixed"], ["note", "--setup_file"]),
        ]);
    }
}

/// <summary>
/// The request rules of the real Submitter process over real HTTP: cross-site requests, hosts, sizes, what a caller's
/// arguments may do, <c>/runs/validate</c>, <c>/runs/cancel-active?pipeline=</c> and what <c>/pipelines</c> shows.
/// </summary>
public sealed class ServiceAccessTests(ServiceAccessFixture fixture) : IClassFixture<ServiceAccessFixture>
{
    private LoopbackCluster Cluster => fixture.Cluster;

    private ServiceSubmitterProcess Service => fixture.Service;

    private string OwnOrigin => $"{Service.Address.Scheme}://{Service.Address.Authority}";

    [Fact]
    public async Task A_cross_site_form_post_to_cancel_active_is_refused_and_the_run_keeps_running()
    {
        var id = await Service.StartRunAsync("forever");
        var running = await Service.WaitForRunAsync(id, r => ServiceSubmitterProcess.State(r) == "Running" && Cluster.ClientPid(id) is not null, "is Running with its client");
        var jobId = running.GetProperty("flinkJobId").GetString()!;

        // What a page of another site makes a browser send: a form POST with its origin.
        var crossSite = await Service.SendAsync(HttpMethod.Post, "/runs/cancel-active", "confirm=yes", "application/x-www-form-urlencoded",
            new Dictionary<string, string> { ["Origin"] = "http://evil.example", ["Sec-Fetch-Site"] = "cross-site", ["Sec-Fetch-Mode"] = "navigate" });
        // The same from a browser that sends no Sec-Fetch-Site, from a sandboxed page (Origin: null), and a form POST from a program.
        var foreignOrigin = await Service.SendAsync(HttpMethod.Post, "/runs/cancel-active", "confirm=yes", "application/x-www-form-urlencoded",
            new Dictionary<string, string> { ["Origin"] = "http://evil.example" });
        var nullOrigin = await Service.SendAsync(HttpMethod.Post, "/runs/cancel-active", "{}", headers: new Dictionary<string, string> { ["Origin"] = "null" });
        var sameSite = await Service.SendAsync(HttpMethod.Post, $"/runs/{id}/cancel", headers: new Dictionary<string, string> { ["Sec-Fetch-Site"] = "same-site" });
        var form = await Service.SendAsync(HttpMethod.Post, "/runs/cancel-active", "confirm=yes", "application/x-www-form-urlencoded");

        Assert.Contains("cross-site (Sec-Fetch-Site)", crossSite.AssertProblem(HttpStatusCode.Forbidden).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'http://evil.example' (Origin)", foreignOrigin.AssertProblem(HttpStatusCode.Forbidden).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'null' (Origin)", nullOrigin.AssertProblem(HttpStatusCode.Forbidden).GetProperty("detail").GetString(), StringComparison.Ordinal);
        sameSite.AssertProblem(HttpStatusCode.Forbidden);
        form.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Running", ServiceSubmitterProcess.State((await Service.GetAsync($"/runs/{id}")).Json));
        Assert.Equal(FlinkJobStates.Running, Cluster.Flink.FindJob(jobId)!.State);
        Assert.DoesNotContain(jobId, Cluster.Flink.CancelledJobIds);
        Assert.True(SubmitterProcess.IsAlive(Cluster.ClientPid(id)!.Value), "the run's client was ended");

        // A page of the Submitter's own origin may.
        var own = await Service.SendAsync(HttpMethod.Post, "/runs/cancel-active", headers: new Dictionary<string, string> { ["Origin"] = OwnOrigin, ["Sec-Fetch-Site"] = "same-origin" });

        Assert.True(own.Status == HttpStatusCode.OK, own.ToString());
        Assert.Equal([id], own.Json.GetProperty("cancelled").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Contains(jobId, Cluster.Flink.CancelledJobIds);
    }

    [Fact]
    public async Task A_request_for_a_foreign_host_is_a_400_problem_and_starts_nothing_while_loopback_names_are_answered()
    {
        var port = Service.Address.Port;
        var before = await RunCountAsync();

        var foreign = await Service.SendAsync(HttpMethod.Post, "/runs", """{"pipeline":"forever","args":[]}""",
            headers: new Dictionary<string, string> { ["Host"] = $"rebound.evil.example:{port}" });

        var problem = foreign.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("Unknown host", problem.GetProperty("title").GetString());
        Assert.Contains($"'rebound.evil.example:{port}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Submitter:AllowedHosts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await RunCountAsync());
        foreach (var host in new[] { $"localhost:{port}", $"127.0.0.1:{port}", $"[::1]:{port}" })
        {
            var answer = await Service.SendAsync(HttpMethod.Get, "/pipelines", headers: new Dictionary<string, string> { ["Host"] = host });
            Assert.True(answer.Status == HttpStatusCode.OK, $"Host {host}: {answer}");
        }
    }

    [Fact]
    public async Task An_address_or_headers_over_the_limits_are_414_and_431_problems()
    {
        var longQuery = await Service.SendRawAsync($"GET /runs?after={new string('a', 100_000)} HTTP/1.1\r\nHost: {Service.Address.Authority}\r\n");
        var bigHeaders = await Service.SendAsync(HttpMethod.Get, "/runs", headers: new Dictionary<string, string> { ["X-Padding"] = new string('b', 40_000) });

        Assert.Contains("the API reads at most 8192", longQuery.AssertProblem(HttpStatusCode.RequestUriTooLong).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("the API reads at most 32768", bigHeaders.AssertProblem(HttpStatusCode.RequestHeaderFieldsTooLarge).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_cannot_replace_an_argument_the_catalog_fixes_unless_the_entry_lists_it_as_overridable()
    {
        var before = await RunCountAsync();
        var fixedNote = await Service.PostAsync("/runs", """{"pipeline":"echo","args":["--note","mine"]}""");
        var fixedOut = await Service.PostAsync("/runs", """{"pipeline":"echo","args":["--out=/tmp/elsewhere.json"]}""");

        AssertArgsProblem(fixedNote, "'--note mine' would replace --note, which the catalog entry 'echo' fixes; callers may replace only the options it lists as overridable (it lists none).");
        AssertArgsProblem(fixedOut, "'--out=/tmp/elsewhere.json' would replace --out, which the catalog entry 'echo' fixes");
        Assert.Equal(before, await RunCountAsync());

        var id = await Service.StartRunAsync("echo-open", "--note", "mine");

        Assert.Equal("Succeeded", ServiceSubmitterProcess.State(await Service.WaitForEndAsync(id)));
        var argv = Cluster.EchoedArguments(id);
        Assert.Equal(["--note", "mine"], argv.TakeLast(2));
        Assert.DoesNotContain("fixed", argv);
    }

    [Fact]
    public async Task Options_that_act_on_the_Submitters_machine_are_refused_unless_the_entry_lists_them()
    {
        var before = await RunCountAsync();

        foreach (var args in new[] { """["--setup_file","./setup.py"]""", """["--requirements_file=/etc/passwd"]""", """["--extra-package","/tmp/x.whl"]""", """["-o","/tmp/x"]""" })
        {
            var response = await Service.PostAsync("/runs", $$"""{"pipeline":"echo","args":{{args}}}""");
            AssertArgsProblem(response, "'");
        }

        Assert.Equal(before, await RunCountAsync());

        var id = await Service.StartRunAsync("echo-open", "--setup_file", "./setup.py");

        Assert.Equal("Succeeded", ServiceSubmitterProcess.State(await Service.WaitForEndAsync(id)));
        Assert.Equal(["--setup_file", "./setup.py"], Cluster.EchoedArguments(id).TakeLast(2));
    }

    [Fact]
    public async Task Validate_answers_204_where_runs_would_start_and_otherwise_its_very_problem_starting_nothing()
    {
        var before = await RunCountAsync();
        var jobs = Cluster.Flink.Jobs.Count;

        var good = await Service.PostAsync("/runs/validate", """{"pipeline":"echo-open","args":["--note","mine"]}""");

        Assert.True(good.Status == HttpStatusCode.NoContent, good.ToString());
        Assert.Equal("", good.Body);

        string[] bad =
        [
            """{"pipeline":"wordcount","args":[]}""",
            """{"pipeline":"echo","args":["--note","mine"]}""",
            """{"pipeline":"echo","args":["--setup_file","./setup.py"]}""",
            """{"pipeline":"echo","args":["--job_name","mine"]}""",
            """{"pipeline":"echo","args":"--note mine"}""",
            """{"pipeline":7}""",
            """{"pipeline":""",
        ];
        foreach (var body in bad)
        {
            var validated = await Service.PostAsync("/runs/validate", body);
            var started = await Service.PostAsync("/runs", body);

            var problem = validated.AssertProblem(HttpStatusCode.BadRequest);
            var same = started.AssertProblem(HttpStatusCode.BadRequest);
            foreach (var member in new[] { "title", "detail", "field", "pipeline", "pipelines" })
            {
                Assert.Equal(Text(same, member), Text(problem, member));
            }

            ServiceApiTests.AssertNoTypeNames(validated.Body);
        }

        (await Service.SendAsync(HttpMethod.Post, "/runs/validate", "pipeline=echo", "application/x-www-form-urlencoded")).AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await RunCountAsync());
        Assert.Equal(jobs, Cluster.Flink.Jobs.Count);
    }

    [Fact]
    public async Task Cancel_active_of_one_pipeline_cancels_only_its_runs_and_an_unknown_pipeline_is_a_400_naming_the_field()
    {
        var first = await Service.StartRunAsync("forever");
        var second = await Service.StartRunAsync("forever-too");
        await Service.WaitForRunAsync(first, r => ServiceSubmitterProcess.State(r) == "Running", "is Running");
        await Service.WaitForRunAsync(second, r => ServiceSubmitterProcess.State(r) == "Running", "is Running");

        var unknown = await Service.PostAsync("/runs/cancel-active?pipeline=wordcount");
        var empty = await Service.PostAsync("/runs/cancel-active?pipeline=");
        var typo = await Service.PostAsync("/runs/cancel-active?pipelin=forever");

        var problem = unknown.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("pipeline", problem.GetProperty("field").GetString());
        Assert.Equal("Unknown pipeline 'wordcount'. The catalog has: forever, forever-too, echo, echo-open.", problem.GetProperty("detail").GetString());
        Assert.Equal("pipeline", empty.AssertProblem(HttpStatusCode.BadRequest).GetProperty("field").GetString());
        Assert.Contains("'pipelin' is not a query parameter", typo.AssertProblem(HttpStatusCode.BadRequest).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var one = await Service.PostAsync("/runs/cancel-active?pipeline=forever-too");

        Assert.True(one.Status == HttpStatusCode.OK, one.ToString());
        Assert.Equal([second], one.Json.GetProperty("cancelled").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("Running", ServiceSubmitterProcess.State((await Service.GetAsync($"/runs/{first}")).Json));

        var all = await Service.PostAsync("/runs/cancel-active");

        Assert.Equal([first], all.Json.GetProperty("cancelled").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Get_pipelines_shows_names_descriptions_parallelism_and_overridable_options_not_arguments()
    {
        var response = await Service.GetAsync("/pipelines");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var open = Assert.Single(response.Json.EnumerateArray(), p => p.GetProperty("name").GetString() == "echo-open");
        Assert.Equal(
            """{"name":"echo-open","description":"test pipeline running echo_args.py","parallelism":2,"overridable":["--note","--setup_file"]}""",
            JsonSerializer.Serialize(open));
        Assert.DoesNotContain("fixed", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Cluster.Root, response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("fake_flink", response.Body, StringComparison.Ordinal);
    }

    private static void AssertArgsProblem(ApiResponse response, string detail)
    {
        var problem = response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("Malformed run request", problem.GetProperty("title").GetString());
        Assert.Equal("args", problem.GetProperty("field").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string? Text(JsonElement problem, string member) =>
        problem.TryGetProperty(member, out var value) ? value.GetRawText() : null;

    private Task<int> RunCountAsync() => Service.RunCountAsync();
}
