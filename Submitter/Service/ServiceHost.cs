using System.Net.Sockets;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FlinkBeam.Submitter.Service;

/// <summary>Service mode: the HTTP API, <c>/health</c> and <c>/alive</c>, AutoRun, recovery and graceful shutdown.</summary>
public static class ServiceHost
{
    /// <summary>Where the API listens when nothing else is configured: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the service; <paramref name="configure"/> lets tests adjust the builder before it is built.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The slim builder leaves out what the service never uses (IIS integration, HTTP/3, static web assets, the
        // EventLog/Debug/EventSource log providers), which keeps an idle Submitter small; HTTPS endpoints stay configurable.
        var builder = WebApplication.CreateSlimBuilder(args);
        LogLevelDefaults.AddBeneath(builder.Configuration);
        builder.WebHost.UseKestrelHttpsConfiguration();
        if (!HasListenAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(SubmitterTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(SubmitterTelemetry.Name));
        builder.Services.AddSubmitterService(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiAccess();
        app.MapDefaultEndpoints();
        app.MapSubmitterApi();
        return app;
    }

    /// <summary>
    /// Runs until SIGTERM or Ctrl+C. A configuration, catalog or history problem, a data directory another service
    /// holds, an address it cannot listen on, or one beyond loopback without an API key (unless anonymous access is
    /// chosen) ends it with exit code 2 and one line per problem on <paramref name="stderr"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            await using var app = Build(args);
            // Read now: RunAsync disposes the host when it ends.
            var where = app.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : "the configured address";

            // The settings first, and whether they let the API be reached from the network without a key: refused before
            // anything is opened or written.
            var settings = app.Services.GetRequiredService<IOptions<SubmitterOptions>>().Value;
            var addresses = ListenAddresses.From(app.Configuration);
            var hasKey = !string.IsNullOrEmpty(settings.ApiKey);
            if (ListenAddresses.Exposure(addresses, hasKey, settings.AllowAnonymous) is { } exposure)
            {
                await stderr.WriteLineAsync($"The Submitter cannot start: {exposure}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            if (!hasKey && addresses.FirstOrDefault(a => !ListenAddresses.IsLoopback(a.Url)) is { } open)
            {
                app.Logger.LogWarning(
                    "The API listens on {Address} without an API key ({Setting}=true): anyone who can reach it can start and cancel runs",
                    open.Url, $"{SubmitterSettingNames.SectionName}:{SubmitterSettingNames.AllowAnonymous}");
            }

            // The catalog, history and this service's hold on the data directory, before the host starts: a problem with
            // any of them is one line, not a failed host start. Both engine types are resolved here (see
            // RunLifecycleService on the order of disposal).
            _ = app.Services.GetRequiredService<RunManager>();
            _ = app.Services.GetRequiredService<IRunManager>();
            try
            {
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException { InnerException: AddressInUseException })
            {
                await stderr.WriteLineAsync(
                    $"The Submitter cannot start: it cannot listen on {where} ({(e.InnerException ?? e).Message}). "
                    + "Give another address with --urls or ASPNETCORE_URLS.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            return ExitCodes.Succeeded;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await stderr.WriteLineAsync($"The Submitter cannot start: {failure}").ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is CatalogException or RunStoreException or DataDirectoryInUseException or FormatException
            || (e is InvalidOperationException && e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)))
        {
            await stderr.WriteLineAsync($"The Submitter cannot start: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
    }

    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
