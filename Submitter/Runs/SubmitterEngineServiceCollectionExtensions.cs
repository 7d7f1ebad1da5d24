using System.Diagnostics.Metrics;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Runs;

public static class SubmitterEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the run engine as singletons built lazily from <see cref="IOptions{SubmitterOptions}"/> (so binding and
    /// post-configuration done by the host apply): <see cref="PipelineCatalog"/> (loaded from CatalogPath),
    /// <see cref="RunStore"/> (DataDirectory), the cluster clients (<see cref="FlinkRestClient"/> and, when JobEndpoint is
    /// set, <see cref="BeamJobServiceClient"/>; see <see cref="ClusterClientsServiceCollectionExtensions"/>), <see cref="SubmitterTelemetry"/>, and
    /// <see cref="RunManager"/> as itself and as <see cref="IRunManager"/>. An <see cref="IReadinessGate"/> must be
    /// registered by the host. The host calls <see cref="RunManager.RecoverAsync"/> at start and
    /// <see cref="IRunManager.ShutdownAsync"/> at stop; the container disposes everything afterwards.
    /// </summary>
    public static IServiceCollection AddSubmitterEngine(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SubmitterOptions>();
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SubmitterTelemetry(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => PipelineCatalog.Load(Options(sp).CatalogPath));
        services.TryAddSingleton(sp => RunStore.Open(Options(sp).DataDirectory));
        services.AddClusterClients();
        services.TryAddSingleton(sp => new RunManager(
            Options(sp),
            sp.GetRequiredService<PipelineCatalog>(),
            sp.GetRequiredService<RunStore>(),
            sp.GetRequiredService<IReadinessGate>(),
            sp.GetRequiredService<FlinkRestClient>(),
            ClusterClientsServiceCollectionExtensions.JobServiceOrNull(sp),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<SubmitterTelemetry>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IRunManager>(sp => sp.GetRequiredService<RunManager>());
        return services;
    }

    private static SubmitterOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SubmitterOptions>>().Value;
}
