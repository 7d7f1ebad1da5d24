using System.Diagnostics;
using System.Diagnostics.Metrics;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FlinkBeam.ServiceDefaults.Tests;

[Collection(TelemetryCollection.Name)]
public sealed class OpenTelemetryExportTests
{
    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task A_trace_a_metric_and_a_log_reach_the_collector(string protocol)
    {
        await using var collector = await FakeOtlpCollector.StartAsync(grpc: protocol == "grpc");
        var marker = Guid.NewGuid().ToString("N");
        var sourceName = $"Test.Source.{marker}";
        var meterName = $"Test.Meter.{marker}";

        var builder = TestApp.CreateBuilder(TestApp.OtlpConfiguration(collector));
        builder.AddServiceDefaults();
        // How a service adds its own source and meter (the Submitter's), beside what the defaults trace.
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(sourceName))
            .WithMetrics(metrics => metrics.AddMeter(meterName));
        var (app, _) = await TestApp.StartAsync(builder);
        await using (app)
        {
            using var source = new ActivitySource(sourceName);
            using (source.StartActivity($"span-{marker}"))
            {
            }

            using var meter = new Meter(meterName);
            meter.CreateCounter<long>($"counter-{marker}").Add(3);
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test").LogInformation("log record {Marker}", marker);

            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var traces = collector.ExportsOf("traces");
        var metrics = collector.ExportsOf("metrics");
        var logs = collector.ExportsOf("logs");
        Assert.NotEmpty(traces);
        Assert.NotEmpty(metrics);
        Assert.NotEmpty(logs);

        var expectedContentType = protocol == "grpc" ? "application/grpc" : "application/x-protobuf";
        Assert.All(collector.Exports, export =>
        {
            Assert.StartsWith(expectedContentType, export.ContentType);
            Assert.NotEmpty(export.Message);
            Assert.Equal("test-key-123", export.Headers["x-otlp-api-key"]);
        });

        Assert.Contains(traces.SelectMany(e => OtlpPayload.Spans(e.Message)), span => span.Scope == sourceName && span.Name == $"span-{marker}");
        Assert.Contains($"counter-{marker}", metrics.SelectMany(e => OtlpPayload.MetricNames(e.Message)));
        Assert.Contains($"log record {marker}", logs.SelectMany(e => OtlpPayload.LogBodies(e.Message)));
    }

    [Fact]
    public async Task Service_name_and_resource_attributes_from_configuration_reach_the_collector()
    {
        await using var collector = await FakeOtlpCollector.StartAsync(grpc: false);
        var builder = TestApp.CreateBuilder(TestApp.OtlpConfiguration(collector));
        builder.AddServiceDefaults();
        var (app, _) = await TestApp.StartAsync(builder);
        await using (app)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test").LogWarning("resource check");
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var resources = collector.Exports.SelectMany(e => OtlpPayload.ResourceAttributes(e.Message)).ToArray();
        Assert.NotEmpty(resources);
        Assert.All(resources, attributes =>
        {
            Assert.Equal("submitter-test", attributes["service.name"]);
            Assert.Equal("instance-7", attributes["service.instance.id"]);
            Assert.Equal("test bench", attributes["deployment.environment"]);
            Assert.Equal("opentelemetry", attributes["telemetry.sdk.name"]);
        });
    }

    [Fact]
    public async Task Built_in_http_server_and_client_telemetry_is_exported_and_health_probes_are_not_traced()
    {
        await using var collector = await FakeOtlpCollector.StartAsync(grpc: false);
        var builder = TestApp.CreateBuilder(TestApp.OtlpConfiguration(collector));
        builder.AddServiceDefaults();
        var (app, address) = await TestApp.StartAsync(builder, web =>
        {
            web.MapDefaultEndpoints();
            web.MapGet("/work", () => "done");
        });
        await using (app)
        {
            var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
            Assert.Equal("done", await client.GetStringAsync(new Uri(address, "work"), TestContext.Current.CancellationToken));
            Assert.Contains("\"status\":\"Healthy\"", await client.GetStringAsync(new Uri(address, "health"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.Contains("\"status\":\"Healthy\"", await client.GetStringAsync(new Uri(address, "alive"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var spans = collector.ExportsOf("traces").SelectMany(e => OtlpPayload.Spans(e.Message)).ToArray();
        ExportedSpan ClientSpan(string path) => Assert.Single(
            spans,
            span => span.Scope == "System.Net.Http" && span.Attributes.GetValueOrDefault("url.full") == new Uri(address, path).ToString());

        // The server span of a traced request shares the client's trace (traceparent crosses the wire).
        var work = ClientSpan("work");
        var server = Assert.Single(spans, span => span.Scope == "Microsoft.AspNetCore" && span.TraceId == work.TraceId);
        Assert.Equal("GET /work", server.Name);
        Assert.Equal("/work", server.Attributes["http.route"]);
        Assert.Equal("200", server.Attributes["http.response.status_code"]);
        Assert.Equal("GET", work.Attributes["http.request.method"]);

        // Health probes: the client call is traced, the server side deliberately is not.
        foreach (var probe in new[] { "health", "alive" })
        {
            var client = ClientSpan(probe);
            Assert.DoesNotContain(spans, span => span.Scope == "Microsoft.AspNetCore" && span.TraceId == client.TraceId);
        }

        var metricNames = collector.ExportsOf("metrics").SelectMany(e => OtlpPayload.MetricNames(e.Message)).ToHashSet();
        Assert.Contains("http.server.request.duration", metricNames);
        Assert.Contains("http.client.request.duration", metricNames);
        Assert.Contains("kestrel.connection.duration", metricNames);
        Assert.Contains("aspnetcore.routing.match_attempts", metricNames);
        Assert.Contains("dotnet.gc.collections", metricNames);
    }

    [Fact]
    public async Task Nothing_is_exported_when_the_endpoint_is_not_set()
    {
        await using var collector = await FakeOtlpCollector.StartAsync(grpc: false);
        var marker = Guid.NewGuid().ToString("N");
        var configuration = TestApp.OtlpConfiguration(collector);
        configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty;
        // Were an exporter registered anyway, it would find the collector through the per-signal variables.
        configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = new Uri(collector.Endpoint, "v1/traces").ToString();
        configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = new Uri(collector.Endpoint, "v1/metrics").ToString();
        configuration["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = new Uri(collector.Endpoint, "v1/logs").ToString();

        var builder = TestApp.CreateBuilder(configuration);
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource($"Test.Source.{marker}"));
        var (app, _) = await TestApp.StartAsync(builder);
        await using (app)
        {
            using var source = new ActivitySource($"Test.Source.{marker}");
            using var activity = source.StartActivity("not exported");
            Assert.NotNull(activity);
            Assert.True(activity.Recorded);
            activity.Stop();
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test").LogWarning("not exported");
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(collector.Exports);
    }
}
