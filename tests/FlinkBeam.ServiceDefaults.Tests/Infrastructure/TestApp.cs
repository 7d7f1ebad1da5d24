using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>Builds real web applications with the service defaults, listening on 127.0.0.1 with a random port.</summary>
internal static class TestApp
{
    /// <summary>
    /// A builder whose OTEL_* settings are only those the test passes (the in-memory values override any
    /// variable of the test process).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?>? configuration = null, string applicationName = "FlinkBeam.ServiceDefaults.Tests")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = applicationName });
        builder.Logging.ClearProviders();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = string.Empty,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = string.Empty,
            ["OTEL_SERVICE_NAME"] = string.Empty,
            ["OTEL_RESOURCE_ATTRIBUTES"] = string.Empty,
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        return builder;
    }

    public static async Task<(WebApplication App, Uri Address)> StartAsync(WebApplicationBuilder builder, Action<WebApplication>? map = null)
    {
        var app = builder.Build();
        map?.Invoke(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new Uri(address + "/"));
    }

    /// <summary>Configuration that points OTLP export at <paramref name="collector"/> the way the Aspire orchestrator does.</summary>
    public static Dictionary<string, string?> OtlpConfiguration(FakeOtlpCollector collector) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = collector.Protocol,
        ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=test-key-123",
        ["OTEL_SERVICE_NAME"] = "submitter-test",
        ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=instance-7,deployment.environment=test%20bench",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
    };
}
