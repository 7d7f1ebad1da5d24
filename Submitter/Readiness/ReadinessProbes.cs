using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>The probes of one cluster as the options describe it, with the clients they own.</summary>
internal sealed record ReadinessProbes(IReadOnlyList<IReadinessProbe> Probes, IReadOnlyList<IDisposable> Owned)
{
    /// <summary>
    /// Flink's TaskManagers and slots always; the job server in Portable mode; each worker pool with the External
    /// environment; the Python environment always.
    /// </summary>
    public static ReadinessProbes Create(SubmitterOptions settings, PythonEnvironmentCheck python)
    {
        var clients = ClusterClientsServiceCollectionExtensions.BuildStandalone(settings);
        var probes = Create(settings, python, clients.GetRequiredService<FlinkRestClient>(), ClusterClientsServiceCollectionExtensions.JobServiceOrNull(clients));
        return probes with { Owned = [.. probes.Owned, clients] };
    }

    /// <summary>The same over the given clients.</summary>
    public static ReadinessProbes Create(SubmitterOptions settings, PythonEnvironmentCheck python, FlinkRestClient flink, BeamJobServiceClient? jobService)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(python);
        var probes = new List<IReadinessProbe>();
        var owned = new List<IDisposable>();

        var restUrl = new Uri(EnsureTrailingSlash(settings.FlinkRestUrl
            ?? throw new ArgumentException("The Flink REST URL is not set.", nameof(settings))));
        probes.Add(new FlinkClusterProbe(flink, restUrl, settings.TaskManagers, settings.ConditionTimeout));

        if (settings.Mode == RunnerMode.Portable)
        {
            var endpoint = settings.JobEndpoint
                ?? throw new ArgumentException("The job endpoint is required in Portable mode.", nameof(settings));
            probes.Add(new JobServerProbe(jobService ?? throw new ArgumentException("The Job API client is required in Portable mode.", nameof(jobService)), endpoint, settings.ConditionTimeout));
        }

        if (settings.Environment == SdkEnvironment.External)
        {
            foreach (var pool in settings.WorkerPools.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!HostAndPort.TryParse(pool, out var address))
                {
                    throw new ArgumentException($"Worker pool '{pool}' is not a host:port address.", nameof(settings));
                }

                probes.Add(new WorkerPoolProbe(address, settings.ConditionTimeout));
            }
        }

        probes.Add(new PythonProbe(python));
        return new ReadinessProbes(probes, owned);
    }

    private static string EnsureTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";

    private sealed class PythonProbe(PythonEnvironmentCheck check) : IReadinessProbe
    {
        public async Task<ProbeAnswer> CheckAsync(CancellationToken cancellationToken) =>
            await check.CheckAsync(cancellationToken).ConfigureAwait(false);

        public ProbeAnswer Unanswered(string observed) =>
            new ReadinessCondition(PythonEnvironmentCheck.ConditionName, false, check.Expected, observed);
    }
}
