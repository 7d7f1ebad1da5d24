using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// An existing Flink + Beam cluster as Aspire external services, health-checked the way this library checks its own
/// containers, so the dashboard shows whether each part answers.
/// </summary>
public static class ExternalClusterBuilderExtensions
{
    /// <summary>
    /// Checks that the service's URL answers Flink REST <c>/overview</c> with Flink's JSON; registered under <c>{name}_check</c>.
    /// </summary>
    /// <param name="flinkRest">An external service whose URL is Flink REST, e.g. <c>http://localhost:8081</c>.</param>
    public static IResourceBuilder<ExternalServiceResource> WithFlinkRestHealthCheck(this IResourceBuilder<ExternalServiceResource> flinkRest)
    {
        ArgumentNullException.ThrowIfNull(flinkRest);
        return flinkRest.WithOwnHealthCheck(ClusterHealthChecks.FlinkRest(EndpointAddress.Resolver(flinkRest.Resource)));
    }

    /// <summary>
    /// Checks that the service's URL answers a Beam Job API <c>GetJobs</c> call; registered under <c>{name}_check</c>.
    /// </summary>
    /// <param name="jobService">An external service whose URL is the Job API, e.g. <c>http://localhost:8099</c>.</param>
    public static IResourceBuilder<ExternalServiceResource> WithJobApiHealthCheck(this IResourceBuilder<ExternalServiceResource> jobService)
    {
        ArgumentNullException.ThrowIfNull(jobService);
        return jobService.WithOwnHealthCheck(ClusterHealthChecks.JobApi(EndpointAddress.Resolver(jobService.Resource)));
    }

    /// <summary>
    /// Checks that the service's URL is a worker pool answering StopWorker; registered under <c>{name}_check</c>.
    /// </summary>
    /// <param name="workerPool">An external service whose URL is a worker pool, e.g. <c>tcp://localhost:50000</c>.</param>
    public static IResourceBuilder<ExternalServiceResource> WithWorkerPoolHealthCheck(this IResourceBuilder<ExternalServiceResource> workerPool)
    {
        ArgumentNullException.ThrowIfNull(workerPool);
        return workerPool.WithOwnHealthCheck(ClusterHealthChecks.WorkerPool(EndpointAddress.Resolver(workerPool.Resource)));
    }

    /// <summary>
    /// Adds the parts of an existing cluster as health-checked external services: <c>flink-jobmanager</c> (Flink REST),
    /// <c>beam-jobserver</c> (Job API) and <c>flink-taskmanager-N-workerpool</c> for each worker pool the settings name.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="settings">Where the cluster's parts answer.</param>
    /// <returns>The cluster, for <see cref="SubmitterClusterExtensions.WithCluster"/>.</returns>
    public static FlinkBeamCluster AddExistingCluster(this IDistributedApplicationBuilder builder, ExistingClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        return FlinkBeamCluster.FromExternalServices(
            builder.AddExternalService(ResourceNames.JobManager, settings.FlinkRestUrl).WithFlinkRestHealthCheck(),
            settings.JobEndpoint is { } jobEndpoint ? builder.AddExternalService(ResourceNames.JobServer, jobEndpoint).WithJobApiHealthCheck() : null,
            settings.WorkerPools
                .Select((url, i) => builder.AddExternalService($"{ResourceNames.TaskManager(i + 1)}-{EndpointNames.WorkerPool}", url).WithWorkerPoolHealthCheck())
                .ToList());
    }
}
