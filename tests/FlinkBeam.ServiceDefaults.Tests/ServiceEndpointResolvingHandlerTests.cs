using FlinkBeam.ServiceDefaults.Http;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class ServiceEndpointResolvingHandlerTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    private static Task<LoopbackServer> EchoServer(string name) =>
        LoopbackServer.StartAsync((context, request) => context.Response.WriteAsync($"{name} {request.PathAndQuery}", context.RequestAborted));

    private static HttpClient Client(IConfiguration configuration, string baseAddress) =>
        new(new ServiceEndpointResolvingHandler(configuration) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = new Uri(baseAddress) };

    [Fact]
    public async Task A_service_name_is_sent_to_the_configured_endpoint_keeping_path_and_query()
    {
        await using var server = await EchoServer("jobmanager");
        var configuration = Configuration(("services:flink-jobmanager:http:0", server.BaseAddress.ToString()));
        using var client = Client(configuration, "http://flink-jobmanager");

        var answer = await client.GetStringAsync("jobs/overview?verbose=true", TestContext.Current.CancellationToken);

        Assert.Equal("jobmanager /jobs/overview?verbose=true", answer);
    }

    [Fact]
    public async Task Scheme_preference_falls_back_to_http_when_no_https_endpoint_is_configured()
    {
        await using var server = await EchoServer("submitter");
        var configuration = Configuration(("services:submitter:http:0", server.BaseAddress.ToString()));
        using var client = Client(configuration, "https+http://submitter");

        Assert.Equal("submitter /runs", await client.GetStringAsync("runs", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_named_endpoint_is_chosen_with_the_underscore_prefix()
    {
        await using var job = await EchoServer("job");
        await using var artifact = await EchoServer("artifact");
        var configuration = Configuration(
            ("services:flink-jobserver:job:0", job.BaseAddress.ToString()),
            ("services:flink-jobserver:artifact:0", artifact.BaseAddress.ToString()));
        using var client = Client(configuration, "http://_artifact.flink-jobserver");

        Assert.Equal("artifact /", await client.GetStringAsync("/", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Several_endpoints_are_used_in_turn()
    {
        await using var first = await EchoServer("first");
        await using var second = await EchoServer("second");
        var configuration = Configuration(
            ("services:flink-jobmanager:http:0", first.BaseAddress.ToString()),
            ("services:flink-jobmanager:http:1", second.BaseAddress.ToString()));
        using var client = Client(configuration, "http://flink-jobmanager");

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetStringAsync("overview", TestContext.Current.CancellationToken));
        }

        Assert.Equal(["first /overview", "second /overview", "first /overview", "second /overview"], answers);
    }

    [Fact]
    public async Task A_host_that_is_not_a_configured_service_passes_through()
    {
        await using var server = await EchoServer("direct");
        var configuration = Configuration(("services:flink-jobmanager:http:0", "http://localhost:1"));
        using var client = Client(configuration, server.BaseAddress.ToString());

        Assert.Equal("direct /overview", await client.GetStringAsync("overview", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Resolution_rules_follow_the_orchestrator_format()
    {
        var configuration = Configuration(
            ("services:api:default:0", "http://localhost:7000"),
            ("services:api:http:0", "http://localhost:7001"),
            ("services:web:https:0", "https://localhost:7443"),
            ("services:web:http:0", "http://localhost:7080"),
            ("services:mixed:http:0", "http://localhost:7100"),
            ("services:mixed:http:1", "https://localhost:7101"),
            ("services:proxied:http:0", "http://localhost:7200/base/"));
        var handler = new ServiceEndpointResolvingHandler(configuration);

        // An endpoint named "default" beats one named after the scheme.
        Assert.Equal(new Uri("http://localhost:7000/x"), handler.Resolve(new Uri("http://api/x")));
        // https+http prefers the https endpoint when there is one.
        Assert.Equal(new Uri("https://localhost:7443/x"), handler.Resolve(new Uri("https+http://web/x")));
        Assert.Equal(new Uri("http://localhost:7080/x"), handler.Resolve(new Uri("http://web/x")));
        // Within one endpoint, only addresses of the preferred scheme are used.
        Assert.Equal(new Uri("https://localhost:7101/x"), handler.Resolve(new Uri("https+http://_http.mixed/x")));
        // A path on the configured address is kept in front of the request path.
        Assert.Equal(new Uri("http://localhost:7200/base/v1/jobs?a=1"), handler.Resolve(new Uri("http://proxied/v1/jobs?a=1")));
    }

    [Fact]
    public void A_configured_service_without_a_matching_endpoint_fails_clearly()
    {
        var configuration = Configuration(("services:flink-jobserver:job:0", "http://localhost:8099"));
        var handler = new ServiceEndpointResolvingHandler(configuration);

        var error = Assert.Throws<InvalidOperationException>(() => handler.Resolve(new Uri("http://flink-jobserver/")));

        Assert.Contains("'flink-jobserver'", error.Message);
        Assert.Contains("'default' or 'http'", error.Message);
        Assert.Contains("job", error.Message);
    }

    [Fact]
    public void A_named_endpoint_of_an_unconfigured_service_fails_clearly()
    {
        var handler = new ServiceEndpointResolvingHandler(Configuration());

        var error = Assert.Throws<InvalidOperationException>(() => handler.Resolve(new Uri("http://_job.flink-jobserver/")));

        Assert.Contains("services:flink-jobserver", error.Message);
        Assert.Contains("services__flink-jobserver__", error.Message);
    }

    [Fact]
    public void An_endpoint_without_an_address_of_the_requested_scheme_fails_clearly()
    {
        var configuration = Configuration(("services:flink-taskmanager:workerpool:0", "tcp://localhost:50000"));
        var handler = new ServiceEndpointResolvingHandler(configuration);

        var error = Assert.Throws<InvalidOperationException>(() => handler.Resolve(new Uri("http://_workerpool.flink-taskmanager/")));

        Assert.Contains("tcp://localhost:50000", error.Message);
        Assert.Contains("scheme http", error.Message);
    }
}
