using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Points the Submitter at a cluster by its endpoints, not its container types: the containers this library runs
/// (their <see cref="EndpointReference"/>s) or a cluster that already exists (external services). Either way the
/// Submitter receives the same service-discovery entries: <c>services__flink-jobmanager__http__0</c>,
/// <c>services__beam-jobserver__job__0</c>, <c>services__beam-jobserver__artifact__0</c> and
/// <c>services__flink-taskmanager-N__workerpool__0</c>.
/// </summary>
/// <remarks>
/// The Submitter does not wait for these resources: it starts at once and its readiness gate, which is its health, holds
/// until the cluster is really ready, naming each condition it still waits for. So a cluster that cannot start (no
/// container engine, an existing cluster that is down) shows as an unhealthy Submitter that says why, not as a
/// Submitter stuck in "Waiting".
/// </remarks>
public static class SubmitterClusterExtensions
{
    /// <summary>Gives the Submitter the Flink REST endpoint (an http URL).</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="flinkRest">The endpoint that serves Flink REST, e.g. the JobManager's <see cref="FlinkJobManagerResource.RestEndpoint"/>.</param>
    public static IResourceBuilder<ProjectResource> WithFlinkRest(this IResourceBuilder<ProjectResource> submitter, EndpointReference flinkRest)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(flinkRest);

        return submitter.WithEnvironment(FlinkRestKey, flinkRest);
    }

    /// <summary>Gives the Submitter the Flink REST URL of an existing cluster.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="flinkRest">The external service whose URL is Flink REST, e.g. <c>http://localhost:8081</c>.</param>
    public static IResourceBuilder<ProjectResource> WithFlinkRest(
        this IResourceBuilder<ProjectResource> submitter, IResourceBuilder<ExternalServiceResource> flinkRest)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(flinkRest);

        return submitter.WithEnvironment(FlinkRestKey, flinkRest);
    }

    /// <summary>Gives the Submitter the Beam Job API endpoint and, when given, the artifact staging endpoint.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="jobService">The Job API, e.g. the job server's <see cref="BeamJobServerResource.JobEndpoint"/>.</param>
    /// <param name="artifactStaging">Artifact staging; without it the client uses the one the job service names.</param>
    public static IResourceBuilder<ProjectResource> WithJobService(
        this IResourceBuilder<ProjectResource> submitter, EndpointReference jobService, EndpointReference? artifactStaging = null)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(jobService);

        submitter.WithEnvironment(JobServiceKey, jobService);
        return artifactStaging is null ? submitter : submitter.WithEnvironment(ArtifactStagingKey, artifactStaging);
    }

    /// <summary>Gives the Submitter the Beam Job API URL of an existing job server and, when given, its artifact staging URL.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="jobService">The external service whose URL is the Job API, e.g. <c>http://localhost:8099</c>.</param>
    /// <param name="artifactStaging">Artifact staging; without it the client uses the one the job service names.</param>
    public static IResourceBuilder<ProjectResource> WithJobService(
        this IResourceBuilder<ProjectResource> submitter,
        IResourceBuilder<ExternalServiceResource> jobService,
        IResourceBuilder<ExternalServiceResource>? artifactStaging = null)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(jobService);

        submitter.WithEnvironment(JobServiceKey, jobService);
        return artifactStaging is null ? submitter : submitter.WithEnvironment(ArtifactStagingKey, artifactStaging);
    }

    /// <summary>Gives the Submitter the worker pool of each TaskManager, in order: the first is TaskManager 1's.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="workerPools">The worker pools, e.g. each TaskManager's <see cref="FlinkTaskManagerResource.WorkerPoolEndpoint"/>.</param>
    public static IResourceBuilder<ProjectResource> WithWorkerPools(
        this IResourceBuilder<ProjectResource> submitter, IEnumerable<EndpointReference> workerPools) =>
        WithEachWorkerPool(submitter, workerPools, (key, pool) => submitter.WithEnvironment(key, pool));

    /// <summary>Gives the Submitter the worker pools of an existing cluster, in order: the first is TaskManager 1's.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="workerPools">External services whose URLs are worker pools, e.g. <c>tcp://localhost:50000</c>.</param>
    public static IResourceBuilder<ProjectResource> WithWorkerPools(
        this IResourceBuilder<ProjectResource> submitter, IEnumerable<IResourceBuilder<ExternalServiceResource>> workerPools) =>
        WithEachWorkerPool(submitter, workerPools, (key, pool) => submitter.WithEnvironment(key, pool));

    private static IResourceBuilder<ProjectResource> WithEachWorkerPool<T>(
        IResourceBuilder<ProjectResource> submitter, IEnumerable<T> workerPools, Action<string, T> add)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(workerPools);

        var index = 0;
        foreach (var pool in workerPools)
        {
            ArgumentNullException.ThrowIfNull(pool, nameof(workerPools));
            add(WorkerPoolKey(++index), pool);
        }

        return submitter;
    }

    private static string FlinkRestKey => ServiceAddresses.EnvironmentVariable(ResourceNames.JobManager, EndpointNames.FlinkRest);

    private static string JobServiceKey => ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.JobService);

    private static string ArtifactStagingKey => ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.ArtifactStaging);

    private static string WorkerPoolKey(int taskManager) =>
        ServiceAddresses.EnvironmentVariable(ResourceNames.TaskManager(taskManager), EndpointNames.WorkerPool);
}
