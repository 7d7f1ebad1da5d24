using System.Net;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class AddServiceDefaultsTests
{
    [Fact]
    public async Task Factory_clients_resolve_service_names_from_the_orchestrators_entries()
    {
        await using var server = await LoopbackServer.StartAsync(HttpStatusCode.OK);
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["services:flink-jobmanager:http:0"] = server.BaseAddress.ToString(),
        });
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("flink", client => client.BaseAddress = new Uri("http://flink-jobmanager"));
        using var app = builder.Build();

        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("flink");
        using var response = await client.GetAsync("overview", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/overview", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Factory_clients_retry_a_transient_failure_with_the_standard_handler()
    {
        await using var server = await LoopbackServer.StartAsync((context, request) =>
        {
            context.Response.StatusCode = request.Number == 1 ? 503 : 200;
            return Task.CompletedTask;
        });
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        using var app = builder.Build();

        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var response = await client.GetAsync(server.BaseAddress, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public void Factory_clients_get_resilience_and_discovery_but_the_OTLP_exporter_clients_get_neither()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("flink");
        using var app = builder.Build();

        var chain = HandlerChain.Of(app.Services, "flink");
        Assert.Contains("ResilienceHandler", chain);
        Assert.Contains("ResolvingHttpDelegatingHandler", chain);

        foreach (var exporterClient in new[] { "OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter" })
        {
            var exporterChain = HandlerChain.Of(app.Services, exporterClient);
            Assert.DoesNotContain("ResilienceHandler", exporterChain);
            Assert.DoesNotContain("ResolvingHttpDelegatingHandler", exporterChain);
        }
    }

    [Theory]
    [InlineData("localhost:4317")]
    [InlineData("ftp://collector:21")]
    public void A_malformed_OTLP_endpoint_is_refused_naming_the_setting_and_value(string endpoint)
    {
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint });

        var error = Assert.Throws<FormatException>(() => builder.AddServiceDefaults());

        Assert.Contains($"OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}'", error.Message, StringComparison.Ordinal);
    }
}
