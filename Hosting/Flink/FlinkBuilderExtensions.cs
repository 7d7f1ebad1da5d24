using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds the Flink JobManager and TaskManagers to the application model.</summary>
public static class FlinkBuilderExtensions
{
    /// <summary>
    /// Adds the JobManager: Cluster's Flink image, command <c>jobmanager</c>, Cluster's <c>FLINK_PROPERTIES</c>, the
    /// REST/UI endpoint ("Flink UI" in the dashboard), the checkpoints volume, and a health check on <c>/overview</c>
    /// registered under <c>{name}_check</c>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, also the host name the cluster reaches it by.</param>
    /// <param name="settings">The validated cluster settings.</param>
    public static IResourceBuilder<FlinkJobManagerResource> AddFlinkJobManager(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, FlinkClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(settings);

        var jobManager = new FlinkJobManagerResource(name);
        var resource = builder.AddContainer(jobManager, ClusterImages.Flink(settings.Versions))
            .WithArgs("jobmanager")
            .WithEnvironment("FLINK_PROPERTIES", FlinkProperties.ForJobManager(settings).Render())
            .WithHttpEndpoint(targetPort: ClusterPorts.FlinkRest, name: EndpointNames.FlinkRest)
            .WithUrlForEndpoint(EndpointNames.FlinkRest, url => url.DisplayText = "Flink UI")
            .WithOwnHealthCheck(ClusterHealthChecks.FlinkRest(EndpointAddress.Resolver(jobManager.RestEndpoint)));

        return resource.WithVolume(CheckpointsVolumeName(resource), ContainerPaths.Checkpoints);
    }

    /// <summary>
    /// Adds one TaskManager per <see cref="FlinkClusterSettings.TaskManagers"/>, named by
    /// <see cref="ResourceNames.TaskManager(int)"/>, each configured further by <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="settings">The validated cluster settings.</param>
    /// <param name="jobManager">The JobManager the TaskManagers register with.</param>
    /// <param name="configure">Further configuration of each TaskManager.</param>
    public static IReadOnlyList<IResourceBuilder<FlinkTaskManagerResource>> AddFlinkTaskManagers(
        this IDistributedApplicationBuilder builder,
        FlinkClusterSettings settings,
        IResourceBuilder<FlinkJobManagerResource> jobManager,
        Action<IResourceBuilder<FlinkTaskManagerResource>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(jobManager);

        var taskManagers = new List<IResourceBuilder<FlinkTaskManagerResource>>();
        for (var index = 1; index <= settings.TaskManagers; index++)
        {
            var taskManager = builder.AddFlinkTaskManager(ResourceNames.TaskManager(index), settings, jobManager);
            configure?.Invoke(taskManager);
            taskManagers.Add(taskManager);
        }

        return taskManagers.AsReadOnly();
    }

    /// <summary>
    /// Adds a TaskManager whose image is built from this library's <c>containers/taskmanager</c> and named
    /// <c>flinkbeam/flink-taskmanager:&lt;beam&gt;-flink&lt;flink&gt;-python&lt;python&gt;</c>: the Flink runtime of Cluster's Flink image
    /// on Cluster's Beam Python SDK image (every build argument comes from the one version set and the Flink line's image
    /// layout, <see cref="TaskManagerImageBuild"/>), started as Flink's user whichever entrypoint style that image has, command
    /// <c>taskmanager</c>, Cluster's <c>FLINK_PROPERTIES</c>, the checkpoints volume; it waits for the JobManager.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="settings">The validated cluster settings.</param>
    /// <param name="jobManager">The JobManager it registers with.</param>
    public static IResourceBuilder<FlinkTaskManagerResource> AddFlinkTaskManager(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        FlinkClusterSettings settings,
        IResourceBuilder<FlinkJobManagerResource> jobManager)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(jobManager);

        return builder.AddResource(new FlinkTaskManagerResource(name))
            .WithImageBuild(
                FlinkBeamContainerImageTags.TaskManagerContext,
                dockerfile: null,
                TaskManagerImageBuild.ImageName,
                TaskManagerImageBuild.Tag(settings.Versions),
                TaskManagerImageBuild.Arguments(settings.Versions))
            .WithArgs("taskmanager")
            .WithEnvironment("FLINK_PROPERTIES", FlinkProperties.ForTaskManager(settings).Render())
            .WithVolume(CheckpointsVolumeName(jobManager), ContainerPaths.Checkpoints)
            .WithParentRelationship(jobManager)
            .WaitFor(jobManager);
    }

    /// <summary>
    /// Mounts the pipelines' input folder read-only at <see cref="ContainerPaths.Data"/> and the output folder at
    /// <see cref="ContainerPaths.Outputs"/>, so inputs and results live on the host. Paths are relative to the AppHost.
    /// </summary>
    /// <param name="taskManager">The TaskManager.</param>
    /// <param name="dataDirectory">The pipelines' input folder.</param>
    /// <param name="outputDirectory">The folder the pipelines write to; created in run mode when missing.</param>
    public static IResourceBuilder<FlinkTaskManagerResource> WithPipelineFolders(
        this IResourceBuilder<FlinkTaskManagerResource> taskManager, string dataDirectory, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(taskManager);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);

        if (taskManager.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            // A missing bind-mount source would be created by the container runtime, owned by root.
            Directory.CreateDirectory(Path.GetFullPath(outputDirectory, taskManager.ApplicationBuilder.AppHostDirectory));
        }

        return taskManager
            .WithBindMount(dataDirectory, ContainerPaths.Data, isReadOnly: true)
            .WithBindMount(outputDirectory, ContainerPaths.Outputs);
    }

    /// <summary>The named volume the JobManager and every TaskManager share at <see cref="ContainerPaths.Checkpoints"/>.</summary>
    /// <param name="jobManager">The JobManager.</param>
    public static string CheckpointsVolumeName(IResourceBuilder<FlinkJobManagerResource> jobManager)
    {
        ArgumentNullException.ThrowIfNull(jobManager);
        return VolumeNameGenerator.Generate(jobManager, "checkpoints");
    }
}
