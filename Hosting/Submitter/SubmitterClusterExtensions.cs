using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;

namespace Aspire.Hosting;

/// <summary>
/// Points the Submitter at a cluster by its endpoints, not its container types: containers this AppHost runs or a
/// cluster that already exists (<see cref="FlinkBeamCluster"/>). Either way the Submitter receives the same
/// service-discovery entries: <c>services__flink-jobmanager__http__0</c>, <c>services__beam-jobserver__job__0</c>,
/// <c>services__beam-jobserver__artifact__0</c> (when known) and <c>services__flink-taskmanager-N__workerpool__0</c>.
/// </summary>
/// <remarks>
/// The Submitter does not wait for these resources: it starts at once and its readiness gate, which is its health, holds
/// until the cluster is really ready, naming each condition it still waits for. So a cluster that cannot start (no
/// container engine, an existing cluster that is down) shows as an unhealthy Submitter that says why, not as a
/// Submitter stuck in "Waiting".
/// </remarks>
public static class SubmitterClusterExtensions
{
    /// <summary>
    /// Gives the Submitter every part of <paramref name="cluster"/>, and the pipelines' dashboard rows the Flink web UI
    /// their jobs' links point to.
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="cluster">The cluster, from <see cref="FlinkClusterBuilderExtensions.AddFlinkCluster"/> or <see cref="ExternalClusterBuilderExtensions.AddExistingCluster"/>.</param>
    public static IResourceBuilder<SubmitterResource> WithCluster(this IResourceBuilder<SubmitterResource> submitter, FlinkBeamCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(cluster);

        cluster.FlinkRest.PassTo(submitter, ServiceAddresses.EnvironmentVariable(ResourceNames.JobManager, EndpointNames.FlinkRest));
        cluster.JobService?.PassTo(submitter, ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.JobService));
        cluster.ArtifactStaging?.PassTo(submitter, ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.ArtifactStaging));
        for (var index = 0; index < cluster.WorkerPools.Count; index++)
        {
            cluster.WorkerPools[index].PassTo(
                submitter, ServiceAddresses.EnvironmentVariable(ResourceNames.TaskManager(index + 1), EndpointNames.WorkerPool));
        }

        submitter.Resource.FlinkRestAddress = cluster.FlinkRest.Address;
        return submitter;
    }
}
