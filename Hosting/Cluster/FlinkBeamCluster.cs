using FlinkBeam.Hosting;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Flink + Beam cluster as the Submitter needs it, whoever runs it: Flink REST, the Beam Job API and artifact staging
/// (Portable mode; FlinkRunner mode has no job server) and the worker pools of its TaskManagers. <see cref="FlinkClusterBuilderExtensions.AddFlinkCluster"/> makes one from
/// containers this AppHost runs, <see cref="ExternalClusterBuilderExtensions.AddExistingCluster"/> from a cluster that
/// already exists; <see cref="SubmitterClusterExtensions.WithCluster"/> hands either to the Submitter.
/// </summary>
public sealed class FlinkBeamCluster
{
    private FlinkBeamCluster(
        ClusterEndpoint flinkRest, ClusterEndpoint? jobService, ClusterEndpoint? artifactStaging, IReadOnlyList<ClusterEndpoint> workerPools)
    {
        FlinkRest = flinkRest;
        JobService = jobService;
        ArtifactStaging = artifactStaging;
        WorkerPools = workerPools;
    }

    internal ClusterEndpoint FlinkRest { get; }

    /// <summary>The Job API; null without a job server (FlinkRunner mode).</summary>
    internal ClusterEndpoint? JobService { get; }

    internal ClusterEndpoint? ArtifactStaging { get; }

    /// <summary>The worker pools, TaskManager 1's first.</summary>
    internal IReadOnlyList<ClusterEndpoint> WorkerPools { get; }

    /// <summary>
    /// The cluster of containers this AppHost runs: the JobManager's REST endpoint, the job server's Job API and
    /// artifact staging, and the worker pool of each TaskManager (<see cref="BeamBuilderExtensions.WithBeamWorkerPool"/>), in order.
    /// </summary>
    /// <param name="jobManager">The JobManager.</param>
    /// <param name="jobServer">The job server; null in FlinkRunner mode, which has none.</param>
    /// <param name="taskManagers">The TaskManagers, each with its worker pool, TaskManager 1 first.</param>
    public static FlinkBeamCluster FromContainers(
        IResourceBuilder<FlinkJobManagerResource> jobManager,
        IResourceBuilder<BeamJobServerResource>? jobServer,
        IEnumerable<IResourceBuilder<FlinkTaskManagerResource>> taskManagers)
    {
        ArgumentNullException.ThrowIfNull(jobManager);
        ArgumentNullException.ThrowIfNull(taskManagers);

        return new FlinkBeamCluster(
            ClusterEndpoint.Of(jobManager.Resource.RestEndpoint),
            jobServer is null ? null : ClusterEndpoint.Of(jobServer.Resource.JobEndpoint),
            jobServer is null ? null : ClusterEndpoint.Of(jobServer.Resource.ArtifactEndpoint),
            Each(taskManagers, nameof(taskManagers), taskManager => ClusterEndpoint.Of(taskManager.Resource.WorkerPoolEndpoint)));
    }

    /// <summary>
    /// A cluster that already exists, as external services whose URLs are its parts: Flink REST (<c>http://</c>), the Job
    /// API (<c>http://</c>, gRPC), the worker pools the host can reach (<c>tcp://</c>, TaskManager 1's first; may be
    /// none) and, when given, artifact staging (otherwise the client uses the one the Job API names).
    /// </summary>
    /// <param name="flinkRest">Flink REST, e.g. <c>http://localhost:8081</c>.</param>
    /// <param name="jobService">The Job API, e.g. <c>http://localhost:8099</c>; null without a job server (FlinkRunner mode).</param>
    /// <param name="workerPools">The worker pools, e.g. <c>tcp://localhost:50000</c>.</param>
    /// <param name="artifactStaging">Artifact staging, e.g. <c>http://localhost:8098</c>.</param>
    public static FlinkBeamCluster FromExternalServices(
        IResourceBuilder<ExternalServiceResource> flinkRest,
        IResourceBuilder<ExternalServiceResource>? jobService,
        IEnumerable<IResourceBuilder<ExternalServiceResource>> workerPools,
        IResourceBuilder<ExternalServiceResource>? artifactStaging = null)
    {
        ArgumentNullException.ThrowIfNull(flinkRest);
        ArgumentNullException.ThrowIfNull(workerPools);

        return new FlinkBeamCluster(
            ClusterEndpoint.Of(flinkRest),
            jobService is null ? null : ClusterEndpoint.Of(jobService),
            artifactStaging is null ? null : ClusterEndpoint.Of(artifactStaging),
            Each(workerPools, nameof(workerPools), ClusterEndpoint.Of));
    }

    private static List<ClusterEndpoint> Each<T>(IEnumerable<T> parts, string parameter, Func<T, ClusterEndpoint> endpoint)
        where T : class =>
        parts.Select(part => endpoint(part ?? throw new ArgumentNullException(parameter))).ToList();
}
