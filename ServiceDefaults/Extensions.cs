using FlinkBeam.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire template's service defaults: OpenTelemetry logs, metrics and traces (exported over OTLP when the
/// orchestrator names a collector), default health checks, service discovery and standard resilience for every
/// <see cref="HttpClient"/> made by the client factory.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness endpoint: every registered health check must pass.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness endpoint: only checks tagged <see cref="LiveTag"/> must pass.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag of the health checks that decide liveness.</summary>
    public const string LiveTag = "live";

    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // The OTLP exporter asks the client factory for these clients when it exports over OTLP/HTTP.
    private static readonly string[] OtlpExporterClientNames = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    /// <summary>
    /// Adds OpenTelemetry, the default health checks, service discovery, and a standard resilience handler plus service
    /// discovery for every client the factory makes (a client that needs other resilience replaces the handler).
    /// </summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        // Telemetry export has its own retry and timeout, and its collector is a literal address: it takes no handler
        // from the defaults (a retried export would also trace and meter itself).
        foreach (var name in OtlpExporterClientNames)
        {
            builder.Services.AddHttpClient(name).ConfigureAdditionalHttpMessageHandlers(static (handlers, _) => handlers.Clear());
        }

        return builder;
    }

    /// <summary>
    /// Logs, metrics (ASP.NET Core, HttpClient, runtime) and traces (ASP.NET Core without the health endpoints, HttpClient,
    /// gRPC client, and the application's own source named like the application); OTLP export only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Add a service's own sources and meters with
    /// <c>Services.AddOpenTelemetry().WithTracing(t =&gt; t.AddSource(...))</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="FormatException"><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set but not an http(s) address; the message names it.</exception>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthEndpoint(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    /// <summary>Adds the health checks service with a <c>self</c> check tagged <see cref="LiveTag"/>.</summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <see cref="HealthEndpointPath"/> (all checks) and <see cref="AlivenessEndpointPath"/> (checks tagged
    /// <see cref="LiveTag"/>), answering with <see cref="HealthReportJson"/>. Unlike the template's, they are mapped in
    /// every environment: the orchestrator's health check of this service reads them.
    /// </summary>
    /// <param name="app">The web application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync });
        app.MapHealthChecks(
            AlivenessEndpointPath,
            new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = HealthReportJson.WriteAsync });
        return app;
    }

    private static void AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var endpoint = builder.Configuration[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return;
        }

        // The exporter would drop a malformed address silently and export nothing; say so instead.
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"{OtlpEndpointKey} '{endpoint}' is not an absolute http:// or https:// address, e.g. http://localhost:4317.");
        }

        UseOtlpExporter(builder.Services);
    }

    // Its own method, so the exporter's assembly is loaded only when something is exported.
    private static void UseOtlpExporter(IServiceCollection services) => services.AddOpenTelemetry().UseOtlpExporter();

    private static bool IsHealthEndpoint(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
