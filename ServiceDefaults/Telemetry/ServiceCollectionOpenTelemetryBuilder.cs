using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace FlinkBeam.ServiceDefaults.Telemetry;

/// <summary>
/// Lets the core SDK's <c>WithTracing</c>/<c>WithMetrics</c>/<c>WithLogging</c> register their providers in the
/// host's own service collection (the role OpenTelemetry.Extensions.Hosting plays), so the host owns and
/// disposes them and they read the host's configuration.
/// </summary>
internal sealed class ServiceCollectionOpenTelemetryBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
