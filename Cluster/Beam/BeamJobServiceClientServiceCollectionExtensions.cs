using FlinkBeam.Cluster.Beam.Protocol;
using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlinkBeam.Cluster.Beam;

/// <summary>Registers the Job API client with Grpc.Net.ClientFactory.</summary>
public static class BeamJobServiceClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BeamJobServiceClient"/> over the generated Job API client, on a channel the gRPC client factory
    /// builds from the factory's <c>HttpClient</c> pipeline (service discovery and telemetry from the host's defaults). Every
    /// call carries its own deadline and the callers poll, so the client gets no resilience handler: a retrying one would
    /// only delay the moment a starting job server is seen. Like the Flink REST client's, its calls are traced and metered
    /// rather than logged one line each.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="jobServiceAddress">
    /// The Job API's address: <see cref="ServiceAddresses.JobService"/> under service discovery, or <c>http://host:port</c>.
    /// </param>
    /// <returns>The client's builder, to add handlers or configure the channel.</returns>
    public static IHttpClientBuilder AddBeamJobServiceClient(this IServiceCollection services, Func<IServiceProvider, Uri> jobServiceAddress)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(jobServiceAddress);

        // The client is made by a delegate, not by the factory's reflection-compiled activator: less to load at start.
        var builder = services
            .AddGrpcClient<JobService.JobServiceClient>((provider, options) => options.Address = jobServiceAddress(provider))
            .ConfigureGrpcClientCreator(invoker => new JobService.JobServiceClient(invoker));
#pragma warning disable EXTEXP0001 // Experimental, and the library's way to take back what ConfigureHttpClientDefaults added.
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.RemoveAllLoggers();
        services.TryAddTransient(provider => new BeamJobServiceClient(provider.GetRequiredService<JobService.JobServiceClient>()));
        return builder;
    }
}
