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
        services.TryAddSingleton(sp => new ReadinessGate(
            ReadinessProbes.Create(
                sp.GetRequiredService<IOptions<SubmitterOptions>>().Value,
                sp.GetRequiredService<PythonEnvironmentCheck>(),
                sp.GetRequiredService<FlinkRestClient>(),
                ClusterClientsServiceCollectionExtensions.JobServiceOrNull(sp)),
            sp.GetRequiredService<ILogger<ReadinessGate>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ReadinessPolling>()));
        services.TryAddSingleton<IReadinessGate>(sp => sp.GetRequiredService<ReadinessGate>());
        services.TryAddSingleton<ReadinessHealthCheck>();
        return services;
    }
}
