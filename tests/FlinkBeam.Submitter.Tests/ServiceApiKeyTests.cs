using System.Net;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// One real Submitter with an API key and a configured host name, listening on every interface (which the key allows),
/// shared by the tests of <see cref="ServiceApiKeyTests"/>.
/// </summary>
public sealed class ServiceApiKeyFixture : ServiceFixture
{
    public const string AllowedHost = "submitter.example.test";

    internal string Key { get; } = "key-" + Guid.NewGuid().ToString("N");

    protected override string Urls => "http://0.0.0.0:0";

    protected override void Configure(LoopbackCluster cluster, Dictionary<string, string> environment)
    {
        environment["Submitter__ApiKey"] = Key;
        environment["Submitter__AllowedHosts__0"] = AllowedHost;
    }
}

/// <summary>The real Submitter process with <c>Submitter:ApiKey</c> set: only callers with the key get through, health stays open.</summary>
public sealed class ServiceApiKeyTests(ServiceApiKeyFixture fixture) : IClassFixture<ServiceApiKeyFixture>
{
    private ServiceSubmitterProcess Service => fixture.Service;

    private Dictionary<string, string> WithKey => new() { ["Authorization"] = $"Bearer {fixture.Key}" };

    [Theory]
    [InlineData("GET", "/pipelines")]
    [InlineData("GET", "/runs")]
    [InlineData("GET", "/runs/0123456789abcdef")]
    [InlineData("GET", "/no-such-route")]
    [InlineData("POST", "/runs/cancel-active")]
    [InlineData("POST", "/health")]
    public async Task Without_the_key_every_endpoint_but_health_is_a_401_problem_with_a_Bearer_challenge(string method, string path)
    {
        var response = await Service.SendAsync(new HttpMethod(method), path);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("An API key is required", problem.GetProperty("title").GetString());
        Assert.Equal("Bearer realm=\"Submitter\"", response.Challenge);
    }

    [Theory]
    [InlineData("Bearer wrong-key-0123456789")]
    [InlineData("Basic {key}")]
    [InlineData("Bearer {key}x")]
    public async Task A_wrong_key_is_a_401_problem_and_starts_nothing(string authorization)
    {
        var header = new Dictionary<string, string> { ["Authorization"] = authorization.Replace("{key}", fixture.Key, StringComparison.Ordinal) };
        var jobs = fixture.Cluster.Flink.Jobs.Count;

        var response = await Service.SendAsync(HttpMethod.Post, "/runs", """{"pipeline":"ok","args":[]}""", headers: header);

        Assert.Equal("The API key is not valid", response.AssertProblem(HttpStatusCode.Unauthorized).GetProperty("title").GetString());
        Assert.Equal("Bearer realm=\"Submitter\", error=\"invalid_token\"", response.Challenge);
        Assert.Equal(jobs, fixture.Cluster.Flink.Jobs.Count);
    }

    [Fact]
    public async Task Health_and_alive_answer_without_the_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await Service.GetAsync("/alive")).Status);
        await Service.WaitForStatusAsync("/health", HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_the_key_the_API_answers_and_a_run_starts_and_ends()
    {
        var pipelines = await Service.SendAsync(HttpMethod.Get, "/pipelines", headers: WithKey);
        var started = await Service.SendAsync(HttpMethod.Post, "/runs", """{"pipeline":"ok","args":[]}""", headers: WithKey);

        Assert.Equal(HttpStatusCode.OK, pipelines.Status);
        Assert.True(started.Status == HttpStatusCode.Accepted, started.ToString());
        var id = started.Json.GetProperty("id").GetString();
        await EngineHarness.WaitUntilAsync(async () =>
        {
            var run = await Service.SendAsync(HttpMethod.Get, $"/runs/{id}", headers: WithKey);
            return ServiceSubmitterProcess.State(run.Json) == "Succeeded";
        }, $"run {id} succeeds");
    }

    [Fact]
    public async Task A_configured_host_name_is_answered_and_another_is_not()
    {
        var port = Service.Address.Port;

        var configured = await Service.SendAsync(HttpMethod.Get, "/pipelines",
            headers: new Dictionary<string, string>(WithKey) { ["Host"] = $"{ServiceApiKeyFixture.AllowedHost}:{port}" });
        var other = await Service.SendAsync(HttpMethod.Get, "/pipelines",
            headers: new Dictionary<string, string>(WithKey) { ["Host"] = $"other.example.test:{port}" });

        Assert.Equal(HttpStatusCode.OK, configured.Status);
        Assert.Contains(ServiceApiKeyFixture.AllowedHost, other.AssertProblem(HttpStatusCode.BadRequest).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_never_appears_in_the_Submitters_output()
    {
        await Service.SendAsync(HttpMethod.Get, "/runs", headers: WithKey);
        await Service.SendAsync(HttpMethod.Get, "/runs", headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {fixture.Key}-wrong" });

        Assert.DoesNotContain(fixture.Key, Service.Process.Stdout + Service.Process.Stderr, StringComparison.Ordinal);
    }
}
