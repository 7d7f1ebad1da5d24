using System.Net;
using FlinkBeam.ServiceDefaults.Http;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class AddServiceDefaultsTests
{
    private static List<Type> HandlerChain(IServiceProvider services, string clientName)
    {
        var chain = new List<Type>();
        var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(clientName);
        while (handler is DelegatingHandler delegating)
        {
            chain.Add(delegating.GetType());
            handler = delegating.InnerHandler;
        }

        return chain;
    }

    [Fact]
    public async Task Every_factory_client_resolves_service_names_and_each_retry_resolves_again()
    {
        await using var broken = await LoopbackServer.StartAsync(HttpStatusCode.ServiceUnavailable);
        await using var working = await LoopbackServer.StartAsync(HttpStatusCode.OK);
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["services:flink-jobmanager:http:0"] = broken.BaseAddress.ToString(),
            ["services:flink-jobmanager:http:1"] = working.BaseAddress.ToString(),
            ["HttpResilience:RetryDelay"] = "00:00:00.005",
        });
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("flink", client => client.BaseAddress = new Uri("http://flink-jobmanager"));
        var (app, _) = await TestApp.StartAsync(builder);
        await using var _ = app;

        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("flink");
        using var response = await client.GetAsync("overview", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri("http://flink-jobmanager/overview"), response.RequestMessage?.RequestUri);
        Assert.Equal(1, broken.RequestCount);
        Assert.Equal(1, working.RequestCount);
    }

    [Fact]
    public async Task Resilience_options_are_bound_from_the_HttpResilience_section()
    {
        await using var server = await LoopbackServer.StartAsync(HttpStatusCode.ServiceUnavailable);
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?> { ["HttpResilience:MaxRetryAttempts"] = "0" });
        builder.AddServiceDefaults();
        var (app, _) = await TestApp.StartAsync(builder);
        await using var _ = app;

        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var response = await client.GetAsync(server.BaseAddress, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(0, app.Services.GetRequiredService<IOptions<HttpResilienceOptions>>().Value.MaxRetryAttempts);
    }

    [Fact]
    public async Task Invalid_resilience_configuration_stops_the_host_from_starting_with_the_key_named()
    {
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["HttpResilience:MaxRetryAttempts"] = "-1",
            ["HttpResilience:CircuitBreakerFailureRatio"] = "1.5",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        await using var _ = app;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("HttpResilience:MaxRetryAttempts must be between 0 and 100; got -1.", error.Message);
        Assert.Contains("HttpResilience:CircuitBreakerFailureRatio must be greater than 0 and at most 1; got 1.5.", error.Message);
    }

    [Fact]
    public void Factory_clients_get_resilience_outside_resolution_but_the_OTLP_exporter_clients_get_neither()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("flink");
        using var app = builder.Build();

        var chain = HandlerChain(app.Services, "flink");
        var resilience = chain.IndexOf(typeof(HttpResilienceHandler));
        var resolution = chain.IndexOf(typeof(ServiceEndpointResolvingHandler));
        Assert.True(resilience >= 0 && resolution > resilience, string.Join(" -> ", chain.Select(t => t.Name)));

        foreach (var exporterClient in new[] { "OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter" })
        {
            var exporterChain = HandlerChain(app.Services, exporterClient);
            Assert.DoesNotContain(typeof(HttpResilienceHandler), exporterChain);
            Assert.DoesNotContain(typeof(ServiceEndpointResolvingHandler), exporterChain);
        }
    }

    [Fact]
    public void Calling_it_twice_is_refused()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceDefaults());

        Assert.Contains("already", error.Message);
    }

    [Fact]
    public void An_empty_extra_source_name_is_refused()
    {
        var builder = TestApp.CreateBuilder();

        var error = Assert.Throws<ArgumentException>(() => builder.AddServiceDefaults(options => options.Meters.Add(" ")));

        Assert.Contains("Meters", error.Message);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "'grpc' or 'http/protobuf'")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4317", "http://")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector:21", "http://")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id", "key=value")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "=secret", "key=value")]
    public void Malformed_OpenTelemetry_settings_are_rejected_naming_the_setting_and_value(string key, string value, string hint)
    {
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://localhost:4318",
            [key] = value,
        });

        var error = Assert.Throws<FormatException>(() => builder.AddServiceDefaults());

        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Contains(hint, error.Message);
    }
}
