using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FlinkBeam.ServiceDefaults.Telemetry;

/// <summary>
/// Providers registered in the container are created lazily; nothing would resolve the tracer and meter
/// providers, so they are created here before any other hosted service starts (Kestrel included).
/// Disposal needs no help: the container disposes them with the host, which flushes every exporter.
/// </summary>
internal sealed class TelemetryProvidersActivator(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
        services.GetService<LoggerProvider>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
