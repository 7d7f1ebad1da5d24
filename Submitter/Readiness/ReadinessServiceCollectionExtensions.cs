using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Readiness;

public static class ReadinessServiceCollectionExtensions
{
    /// <summary>The readiness gate over the cluster clients, and its Python check; they read <c>IOptions&lt;SubmitterOptions&gt;</c>.</summary>
    public static IServiceCollection AddReadinessGate(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ReadinessPolling());
        services.TryAddSingleton<PythonEnvironmentCheck>();
        services.AddClusterClients();
        // The worker pools' channels: one connection each, kept while the gate polls; disposed with the container.
        services.TryAddSingleton(sp => new GrpcChannelCache(sp.GetRequiredService<IOptions<SubmitterOptions>>().Value.ConditionTimeout));
        services.TryAddSingleton(sp => new ReadinessGate(
            ReadinessChecks.Create(
                sp.GetRequiredService<IOptions<SubmitterOptions>>().Value,
                sp.GetRequiredService<PythonEnvironmentCheck>(),
                sp.GetRequiredService<FlinkRestClient>(),
                ClusterClientsServiceCollectionExtensions.JobServiceOrNull(sp),
                sp.GetRequiredService<GrpcChannelCache>()),
            sp.GetRequiredService<ILogger<ReadinessGate>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ReadinessPolling>()));
        services.TryAddSingleton<IReadinessGate>(sp => sp.GetRequiredService<ReadinessGate>());
        services.TryAddSingleton<ReadinessHealthCheck>();
        return services;
    }
}
