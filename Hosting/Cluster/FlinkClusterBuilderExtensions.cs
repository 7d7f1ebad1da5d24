using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;

namespace Aspire.Hosting;

/// <summary>Adds a whole Flink + Beam cluster of containers: the value the Submitter takes, like an existing cluster.</summary>
public static class FlinkClusterBuilderExtensions
{
    /// <summary>
    /// Adds the JobManager (<c>flink-jobmanager</c>) and <see cref="FlinkClusterSettings.TaskManagers"/> TaskManagers
    /// (<c>flink-taskmanager-N</c>), each with its Beam worker pool and its SDK harness as the settings' environment says
    /// (<see cref="BeamBuilderExtensions.WithSdkHarness(IResourceBuilder{FlinkTaskManagerResource}, SdkEnvironment)"/>),
    /// configured further by <paramref name="configureTaskManager"/>; in Portable mode also the Beam job server
    /// (<c>beam-jobserver</c>, submitting to the JobManager) with its artifacts shared with every TaskManager. FlinkRunner
    /// mode has no job server: the client submits an uber jar to Flink REST.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="settings">The validated settings: versions, the cluster's shape, the SDK environment and the runner mode.</param>
    /// <param name="configureTaskManager">Further configuration of each TaskManager, e.g. <see cref="FlinkBuilderExtensions.WithPipelineFolders"/>.</param>
    /// <returns>The cluster, for <see cref="SubmitterClusterExtensions.WithCluster"/>.</returns>
    public static FlinkBeamCluster AddFlinkCluster(
        this IDistributedApplicationBuilder builder,
        FlinkBeamSettings settings,
        Action<IResourceBuilder<FlinkTaskManagerResource>>? configureTaskManager = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, settings.Flink);
        var taskManagers = builder.AddFlinkTaskManagers(settings.Flink, jobManager, taskManager =>
        {
            taskManager.WithBeamWorkerPool().WithSdkHarness(settings.Environment);
            configureTaskManager?.Invoke(taskManager);
        });
        var jobServer = settings.Mode == RunnerMode.Portable
            ? builder.AddBeamJobServer(ResourceNames.JobServer, settings.Versions).WithFlinkMaster(jobManager).WithArtifactsSharedWith(taskManagers)
            : null;
        return FlinkBeamCluster.FromContainers(jobManager, jobServer, taskManagers);
    }
}
