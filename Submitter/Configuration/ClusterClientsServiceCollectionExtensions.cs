using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>
/// The Submitter's Flink REST and Job API clients: the Cluster library's registrations, addressed from
/// <see cref="SubmitterOptions"/>. Under the orchestrator they go by service name (<see cref="ServiceAddresses"/>); an
/// explicit address (configuration or command line) goes through the same registration and service discovery passes it
/// through unchanged.
/// </summary>
public static class ClusterClientsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="FlinkRestClient"/> and <see cref="BeamJobServiceClient"/> once, however often it is called.</summary>
    /// <param name="services">The service collection; it must hold <c>IOptions&lt;SubmitterOptions&gt;</c> and service discovery.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddClusterClients(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ClusterClientsMarker)))
        {
            return services;
        }

        services.AddSingleton<ClusterClientsMarker>();
        services.AddFlinkRestClient(FlinkRestAddress);
        services.AddBeamJobServiceClient(JobServiceAddress);
        return services;
    }

    /// <summary>
    /// Service discovery for a composition without the service defaults (the command line): every address is explicit, so
    /// only the pass-through provider, on every client the factory makes as under the defaults.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddExplicitServiceEndpoints(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddServiceDiscoveryCore().AddPassThroughServiceEndpointProvider();
        services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        return services;
    }

    /// <summary>The Job API client, or null when there is no job endpoint (Flink mode).</summary>
    /// <param name="services">The container.</param>
    /// <returns>The client or null.</returns>
    public static BeamJobServiceClient? JobServiceOrNull(IServiceProvider services) =>
        string.IsNullOrWhiteSpace(Options(services).JobEndpoint) ? null : services.GetRequiredService<BeamJobServiceClient>();

    private static Uri FlinkRestAddress(IServiceProvider services)
    {
        var options = Options(services);
        if (services.GetService<SubmitterEndpointResolution>() is { FlinkRestDiscovered: true })
        {
            return ServiceAddresses.FlinkRest;
        }

        var text = options.FlinkRestUrl?.Trim();
        if (string.IsNullOrEmpty(text)
            || !Uri.TryCreate(text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"Submitter configuration: FlinkRestUrl '{options.FlinkRestUrl}' is not an http(s) address like http://localhost:{ClusterPorts.FlinkRest}.");
        }

        return uri;
    }

    private static Uri JobServiceAddress(IServiceProvider services)
    {
        var options = Options(services);
        if (services.GetService<SubmitterEndpointResolution>() is { JobServiceDiscovered: true })
        {
            return ServiceAddresses.JobService;
        }

        if (!HostAndPort.TryParse(options.JobEndpoint?.Trim(), out var address))
        {
            throw new InvalidOperationException(
                $"Submitter configuration: JobEndpoint '{options.JobEndpoint}' is not host:port, e.g. localhost:{ClusterPorts.JobService}.");
        }

        return new Uri($"http://{address}");
    }

    private static SubmitterOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SubmitterOptions>>().Value;

    private sealed class ClusterClientsMarker;
}
