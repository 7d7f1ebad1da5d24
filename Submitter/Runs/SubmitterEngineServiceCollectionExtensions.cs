using System.Diagnostics.Metrics;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Events;
using FlinkBeam.Submitter.Ownership;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Runs;

public static class SubmitterEngineServiceCollectionExtensions
{
    /// <summary>
    /// The one way the run engine is built, by the service, the command line and the tests alike: singletons made
    /// lazily from <see cref="IOptions{SubmitterOptions}"/> (validated by <see cref="SubmitterOptionsValidator"/>, so
    /// every problem is reported before anything runs): the catalog, the history file (<see cref="HistoryFile"/>, shared by
    /// the run history and the instance registry), this instance's registration in the data directory under
    /// <paramref name="role"/>, the cluster clients, the readiness gate, the stream of run changes (<see cref="RunEvents"/>),
    /// and <see cref="RunManager"/>
    /// as itself and as <see cref="IRunManager"/>. The host configures the options; the container disposes everything.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="role">
    /// <see cref="SubmitterInstance.ServeRole"/> (one live service per data directory; it takes over the runs of Submitters
    /// that are gone) or <see cref="SubmitterInstance.RunRole"/> (a command-line run; any number share a directory).
    /// </param>
    public static IServiceCollection AddSubmitterEngine(this IServiceCollection services, string role)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(role);
        services.AddOptions<SubmitterOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SubmitterOptions>, SubmitterOptionsValidator>());
        services.AddLogging();
        services.AddMetrics();
        services.AddReadinessGate(); // with the cluster clients and the TimeProvider the engine uses as well
        services.TryAddSingleton(new SupervisionTimings());
        services.TryAddSingleton(new LeaseTimings());
        services.TryAddSingleton(sp => SupervisionSettings.From(Options(sp), sp.GetRequiredService<SupervisionTimings>()));
        services.TryAddSingleton(sp => new SubmitterTelemetry(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => PipelineCatalog.Load(Options(sp).CatalogPath));
        services.TryAddSingleton(new HistoryLimits());
        services.TryAddSingleton(sp => HistoryFile.Open(
            Options(sp).DataDirectory, sp.GetRequiredService<HistoryLimits>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<HistoryFile>()));
        services.TryAddSingleton(sp => new RunHistory(
            sp.GetRequiredService<HistoryFile>(), sp.GetRequiredService<ILogger<RunHistory>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new InstanceRegistry(sp.GetRequiredService<HistoryFile>()));
        services.TryAddSingleton(sp => InstanceLease.Acquire(
            sp.GetRequiredService<InstanceRegistry>(), role, exclusive: role == SubmitterInstance.ServeRole,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<InstanceLease>>(), sp.GetRequiredService<LeaseTimings>()));
        services.TryAddSingleton(sp => new FlinkJobWatcher(
            sp.GetRequiredService<FlinkBeam.Cluster.Flink.FlinkRestClient>(), sp.GetRequiredService<SupervisionTimings>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FlinkJobWatcher>>()));
        services.TryAddSingleton(sp => new JobControl(
            sp.GetRequiredService<FlinkBeam.Cluster.Flink.FlinkRestClient>(), ClusterClientsServiceCollectionExtensions.JobServiceOrNull(sp),
            sp.GetRequiredService<FlinkJobWatcher>(), sp.GetRequiredService<SupervisionTimings>(),
            sp.GetRequiredService<ILogger<JobControl>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<PipelineCatalog>();
            return new RunEvents(() => catalog.Names, sp.GetRequiredService<RunHistory>().Summarize, sp.GetRequiredService<ILogger<RunEvents>>());
        });
        services.TryAddSingleton(sp => new ClientLauncher(
            Options(sp), sp.GetRequiredService<PipelineCatalog>(), sp.GetRequiredService<RunEvents>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<RunLedger>();
        services.TryAddSingleton<RunFollower>();
        services.TryAddSingleton<RunSupervisor>();
        services.TryAddSingleton(sp => new RunManager(
            sp.GetRequiredService<PipelineCatalog>(), sp.GetRequiredService<RunLedger>(), sp.GetRequiredService<RunSupervisor>(),
            sp.GetRequiredService<ClientLauncher>(), sp.GetRequiredService<InstanceLease>(),
            sp.GetRequiredService<ILogger<RunManager>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IRunManager>(sp => sp.GetRequiredService<RunManager>());
        return services;
    }

    private static SubmitterOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SubmitterOptions>>().Value;
}
