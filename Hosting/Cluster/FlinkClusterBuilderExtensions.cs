using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;

namespace Aspire.Hosting;

/// <summary>Adds a whole Flink + Beam cluster of containers: the value the Submitter takes, like an existing cluster.</summary>
public static class FlinkClusterBuilderExtensions
{
    /// <summary>
    /// Adds the JobManager (<c>flink-jobmanager</c>), the Beam job server (<c>beam-jobserver</c>, submitting to the
    /// JobManager) and <see cref="FlinkClusterSettings.TaskManagers"/> TaskManagers (<c>flink-taskmanager-N</c>), each with
    /// its Beam worker pool and the job server's artifacts, and configured further by <paramref name="configureTaskManager"/>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="settings">The validated cluster settings.</param>
    /// <param name="configureTaskManager">Further configuration of each TaskManager, e.g. <see cref="FlinkBuilderExtensions.WithPipelineFolders"/>.</param>
    /// <returns>The cluster, for <see cref="SubmitterClusterExtensions.WithCluster"/>.</returns>
    public static FlinkBeamCluster AddFlinkCluster(
        this IDistributedApplicationBuilder builder,
        FlinkClusterSettings settings,
        Action<IResourceBuilder<FlinkTaskManagerResource>>? configureTaskManager = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, settings);
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, settings.Versions).WithFlinkMaster(jobManager);
        var taskManagers = builder.AddFlinkTaskManagers(settings, jobManager, taskManager =>
        {
            taskManager.WithBeamWorkerPool().WithArtifactsFrom(jobServer);
            configureTaskManager?.Invoke(taskManager);
        });
        return FlinkBeamCluster.FromContainers(jobManager, jobServer, taskManagers);
    }
}
