namespace Aspire.Hosting.ApplicationModel;

/// <summary>The external services that stand for an existing cluster's parts.</summary>
/// <param name="FlinkRest">The JobManager's REST API.</param>
/// <param name="JobService">The job server's Job API.</param>
/// <param name="WorkerPools">The worker pools the host can reach, TaskManager 1's first.</param>
public sealed record ExistingCluster(
    IResourceBuilder<ExternalServiceResource> FlinkRest,
    IResourceBuilder<ExternalServiceResource> JobService,
    IReadOnlyList<IResourceBuilder<ExternalServiceResource>> WorkerPools);
