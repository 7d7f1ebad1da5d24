using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Submitter.Configuration;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>The probes of one cluster as the options describe it.</summary>
internal static class ReadinessChecks
{
    /// <summary>Asks Maven Central whether it serves the Flink job server jar (Flink mode, once until it does).</summary>
    private static readonly HttpClient MavenCentral = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    /// <summary>
    /// Flink's TaskManagers and slots always; the job server in Portable mode, the Flink job server jar the client submits
    /// in Flink mode; each worker pool with the External environment; the Python environment always. The clients and the
    /// worker pools' channels are the container's.
    /// </summary>
    public static IReadOnlyList<IReadinessCheck> Create(
        SubmitterOptions settings, PythonEnvironmentCheck python, FlinkRestClient flink, BeamJobServiceClient? jobService, GrpcChannelCache channels)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(python);
        var probes = new List<IReadinessCheck>();

        var restUrl = new Uri(EnsureTrailingSlash(settings.FlinkRestUrl
            ?? throw new ArgumentException("The Flink REST URL is not set.", nameof(settings))));
        probes.Add(new FlinkClusterCheck(flink, restUrl, settings.TaskManagers, settings.ConditionTimeout));

        if (settings.Mode == RunnerMode.Portable)
        {
            var endpoint = settings.JobEndpoint
                ?? throw new ArgumentException("The job endpoint is required in Portable mode.", nameof(settings));
            probes.Add(new JobServerCheck(jobService ?? throw new ArgumentException("The Job API client is required in Portable mode.", nameof(jobService)), endpoint, settings.ConditionTimeout));
        }
        else
        {
            probes.Add(new FlinkJobServerJarCheck(
                VersionSet.Create(settings.BeamVersion, settings.FlinkVersion, settings.PythonVersion),
                settings.FlinkJobServerJar,
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                FlinkJobServerJar.MavenCentral,
                MavenCentral,
                settings.ConditionTimeout));
        }

        if (settings.Environment == SdkEnvironment.External)
        {
            foreach (var pool in settings.WorkerPools.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!HostAndPort.TryParse(pool, out var address))
                {
                    throw new ArgumentException($"Worker pool '{pool}' is not a host:port address.", nameof(settings));
                }

                probes.Add(new WorkerPoolReadinessCheck(address, channels, settings.ConditionTimeout));
            }
        }

        probes.Add(new PythonReadinessCheck(python));
        return probes;
    }

    private static string EnsureTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";

    private sealed class PythonReadinessCheck(PythonEnvironmentCheck check) : IReadinessCheck
    {
        public async Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken) =>
            await check.CheckAsync(cancellationToken).ConfigureAwait(false);

        public CheckAnswer Unanswered(string observed) =>
            new ReadinessCondition(PythonEnvironmentCheck.ConditionName, false, check.Expected, observed);
    }
}
