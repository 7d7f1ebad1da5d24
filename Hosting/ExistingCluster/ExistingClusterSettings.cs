using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// The <c>FlinkBeam:ExistingCluster</c> configuration section: a Flink + Beam cluster that already runs (the original
/// docker-compose cluster, Flink on Kubernetes), which the AppHost then uses instead of starting containers.
/// </summary>
/// <param name="FlinkRestUrl">The JobManager's REST URL, e.g. <c>http://localhost:8081</c>.</param>
/// <param name="JobEndpoint">The job server's Job API as an http URL, e.g. <c>http://localhost:8099</c>; null in FlinkRunner mode, which uses none.</param>
/// <param name="WorkerPools">Worker pools the host can reach, one per TaskManager in order, e.g. <c>tcp://localhost:50000</c>; may be empty.</param>
public sealed record ExistingClusterSettings(Uri FlinkRestUrl, Uri? JobEndpoint, IReadOnlyList<Uri> WorkerPools)
{
    /// <summary>The configuration section, e.g. <c>FlinkBeam:ExistingCluster:FlinkRestUrl</c> or <c>FlinkBeam__ExistingCluster__FlinkRestUrl</c>.</summary>
    public const string SectionName = FlinkBeamSettings.SectionName + ":ExistingCluster";

    /// <summary>
    /// Reads the section: null when it names no Flink REST URL (the AppHost then starts its own containers).
    /// </summary>
    /// <param name="configuration">The AppHost's configuration.</param>
    /// <param name="taskManagers">The TaskManagers the cluster has (<c>FlinkBeam:TaskManagers</c>); there is at most one worker pool per TaskManager.</param>
    /// <param name="mode">
    /// How pipelines reach the cluster (<c>FlinkBeam:Mode</c>): Portable needs the job server's <c>JobEndpoint</c>; FlinkRunner
    /// mode submits to Flink REST alone, so a <c>JobEndpoint</c> given then is not used.
    /// </param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it, its value and an example.</exception>
    public static ExistingClusterSettings? Load(IConfiguration configuration, int taskManagers, RunnerMode mode = RunnerMode.Portable)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        if (string.IsNullOrWhiteSpace(section["FlinkRestUrl"]))
        {
            return null;
        }

        var flink = Url(section, "FlinkRestUrl", ["http", "https"], $"http://localhost:{ClusterPorts.FlinkRest}");
        var job = mode == RunnerMode.Portable ? Url(section, "JobEndpoint", ["http"], $"http://localhost:{ClusterPorts.JobService}") : null;
        var pools = section.GetSection("WorkerPools").GetChildren()
            .Select(child => Url(section, $"WorkerPools:{child.Key}", ["tcp"], $"tcp://localhost:{ClusterPorts.WorkerPool}"))
            .ToList();
        if (pools.Count > taskManagers)
        {
            throw new ArgumentException(
                $"{SectionName}:WorkerPools names {pools.Count} worker pools, but {FlinkBeamSettings.SectionName}:TaskManagers is {taskManagers}; give one worker pool per TaskManager at most.");
        }

        return new ExistingClusterSettings(flink, job, pools);
    }

    private static Uri Url(IConfigurationSection section, string key, string[] schemes, string example)
    {
        var text = section[key];
        var setting = $"{SectionName}:{key}";
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException($"{setting} is required with {SectionName}:FlinkRestUrl; give it as e.g. {example}.");
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && schemes.Contains(uri.Scheme, StringComparer.Ordinal)
            && !string.IsNullOrEmpty(uri.Host)
            && string.IsNullOrEmpty(uri.Query)
            && string.IsNullOrEmpty(uri.Fragment)
            ? uri
            : throw new ArgumentException(
                $"{setting} '{text}' is not an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL; give it as e.g. {example}.");
    }
}
