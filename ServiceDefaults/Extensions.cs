using System.Diagnostics;
using FlinkBeam.ServiceDefaults.Health;
using FlinkBeam.ServiceDefaults.Http;
using FlinkBeam.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the application shares: OpenTelemetry logs, traces and metrics (exported over OTLP
/// when the orchestrator provides a collector), health checks, resilience and service-name resolution for
/// every <see cref="HttpClient"/> made by the client factory.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness endpoint: every registered health check must pass.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness endpoint: only checks tagged <see cref="LiveTag"/> must pass.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag of the health checks that decide liveness.</summary>
    public const string LiveTag = "live";

    // The OTLP exporter creates its HTTP clients through the client factory under these names.
    private static readonly string[] OtlpExporterClientNames = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    /// <summary>Adds the service defaults with the built-in sources and meters only.</summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder =>
        builder.AddServiceDefaults(static _ => { });

    /// <summary>
    /// Adds OpenTelemetry (logs, traces, metrics; OTLP export only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set),
    /// the default health checks, and a resilience handler plus service-name resolution for every
    /// <see cref="HttpClient"/> made by the client factory.
    /// </summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <param name="configure">Adds the service's own activity sources and meters.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException">Called twice on the same builder.</exception>
    /// <exception cref="FormatException">An OTEL_* setting is malformed; the message names it and the accepted forms.</exception>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, Action<ServiceDefaultsOptions> configure)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        if (builder.Services.Any(descriptor => descriptor.ServiceType == typeof(ServiceDefaultsMarker)))
        {
            throw new InvalidOperationException(
                "AddServiceDefaults was already called on this builder; call it once and pass every extra activity source and meter in that call.");
        }

        var options = new ServiceDefaultsOptions();
        configure(options);
        var settings = OpenTelemetrySettings.Read(builder.Configuration);

        builder.Services.AddSingleton<ServiceDefaultsMarker>();
        ConfigureOpenTelemetry(builder, options, settings);
        AddDefaultHealthChecks(builder);
        AddHttpClientDefaults(builder, options);
        return builder;
    }

    /// <summary>
    /// Maps <see cref="HealthEndpointPath"/> (all checks) and <see cref="AlivenessEndpointPath"/> (checks tagged
    /// <see cref="LiveTag"/>), answering with <see cref="HealthReportJson"/>. Their requests are not traced, so the
    /// orchestrator's polling does not flood traces.
    /// </summary>
    /// <param name="app">The web application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync })
            .Add(DoNotRecordTrace);
        app.MapHealthChecks(
                AlivenessEndpointPath,
                new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = HealthReportJson.WriteAsync })
            .Add(DoNotRecordTrace);
        return app;
    }

    private static void ConfigureOpenTelemetry(IHostApplicationBuilder builder, ServiceDefaultsOptions options, OpenTelemetrySettings settings)
    {
        var applicationName = builder.Environment.ApplicationName;
        var sources = Names(ServiceDefaultsOptions.BuiltInActivitySources, applicationName, options.ActivitySources, nameof(options.ActivitySources));
        var meters = Names(ServiceDefaultsOptions.BuiltInMeters, applicationName, options.Meters, nameof(options.Meters));

        var openTelemetry = new ServiceCollectionOpenTelemetryBuilder(builder.Services);
        openTelemetry.ConfigureResource(resource => ConfigureResource(resource, settings, applicationName));

        openTelemetry.WithTracing(tracing =>
        {
            tracing.AddSource(sources);
            if (settings.Traces is { } traces)
            {
                tracing.AddOtlpExporter(exporter => ConfigureExporter(exporter, traces));
            }
        });

        openTelemetry.WithMetrics(metricsBuilder =>
        {
            metricsBuilder.AddMeter(meters);
            if (settings.Metrics is { } metrics)
            {
                metricsBuilder.AddOtlpExporter(exporter => ConfigureExporter(exporter, metrics));
            }
        });

        openTelemetry.WithLogging(
            logging =>
            {
                if (settings.Logs is { } logs)
                {
                    logging.AddOtlpExporter(exporter => ConfigureExporter(exporter, logs));
                }
            },
            logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });

        builder.Services.AddHostedService<TelemetryProvidersActivator>();
        builder.Services.AddSingleton<IStartupFilter, ServerActivityEnricher>();
    }

    private static void ConfigureResource(ResourceBuilder resource, OpenTelemetrySettings settings, string applicationName)
    {
        // The SDK's own detectors read the process environment; configuration is the single source here, so
        // values set in code or tests win, and OTEL_SERVICE_NAME beats service.name in the attribute list.
        resource.Clear();
        resource.AddService(string.IsNullOrWhiteSpace(applicationName) ? "unknown_service" : applicationName, autoGenerateServiceInstanceId: false);
        resource.AddTelemetrySdk();
        if (settings.ResourceAttributes.Count > 0)
        {
            resource.AddAttributes(settings.ResourceAttributes.Select(pair => new KeyValuePair<string, object>(pair.Key, pair.Value)));
        }

        if (settings.ServiceName is { } serviceName)
        {
            resource.AddAttributes([new KeyValuePair<string, object>("service.name", serviceName)]);
        }
    }

    private static void ConfigureExporter(OtlpExporterOptions exporter, OtlpSignalSettings settings)
    {
        // Whatever the exporter would find on its own (it can read the process environment), the values read
        // and validated from configuration decide.
        exporter.Endpoint = settings.Endpoint;
        exporter.Protocol = settings.Protocol;
        exporter.Headers = settings.Headers;
    }

    private static void AddDefaultHealthChecks(IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
    }

    private static void AddHttpClientDefaults(IHostApplicationBuilder builder, ServiceDefaultsOptions options)
    {
        builder.Services.AddOptions<HttpResilienceOptions>()
            .Bind(builder.Configuration.GetSection(options.HttpResilienceSectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpResilienceOptions>>(new HttpResilienceOptionsValidator(options.HttpResilienceSectionName));

        builder.Services.AddSingleton(services => new HttpResiliencePipelineCache(
            services.GetRequiredService<IOptions<HttpResilienceOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<HttpResilienceHandler>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System));

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience outside, resolution inside: every attempt resolves again, so retries rotate endpoints.
            http.AddHttpMessageHandler(services => new HttpResilienceHandler(services.GetRequiredService<HttpResiliencePipelineCache>()));
            http.AddHttpMessageHandler(services => new ServiceEndpointResolvingHandler(services.GetRequiredService<IConfiguration>()));
        });

        // Telemetry export has its own retry and timeout; retrying it here would also trace and meter the exporter.
        foreach (var name in OtlpExporterClientNames)
        {
            builder.Services.AddHttpClient(name).ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (handlers[i] is HttpResilienceHandler or ServiceEndpointResolvingHandler)
                    {
                        handlers.RemoveAt(i);
                    }
                }
            });
        }
    }

    private static string[] Names(IReadOnlyList<string> builtIn, string applicationName, IList<string> extra, string optionName)
    {
        foreach (var name in extra)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"{nameof(ServiceDefaultsOptions)}.{optionName} contains an empty name.");
            }
        }

        IEnumerable<string> names = builtIn;
        if (!string.IsNullOrWhiteSpace(applicationName))
        {
            names = names.Append(applicationName);
        }

        return names.Concat(extra.Select(name => name.Trim())).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void DoNotRecordTrace(EndpointBuilder endpoint)
    {
        var next = endpoint.RequestDelegate;
        if (next is null)
        {
            return;
        }

        endpoint.RequestDelegate = context =>
        {
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
            {
                activity.IsAllDataRequested = false;
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }

            return next(context);
        };
    }

    private sealed class ServiceDefaultsMarker;
}
