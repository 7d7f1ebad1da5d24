using Aspire.Hosting.ApplicationModel;
using FlinkBeam.AppHost;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Health;

namespace Aspire.Hosting;

/// <summary>Adds the Flink JobManager and TaskManagers to the application model.</summary>
public static class FlinkBuilderExtensions
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds the JobManager: Cluster's Flink image, command <c>jobmanager</c>, Cluster's <c>FLINK_PROPERTIES</c>, the
    /// REST/UI endpoint ("Flink UI" in the dashboard), the checkpoints volume, and a health check on <c>/overview</c>.
    /// </summary>
    public static IResourceBuilder<FlinkJobManagerResource> AddFlinkJobManager(
        this IDistributedApplicationBuilder builder, string name, FlinkClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(settings);

        var resource = builder.AddCheckedContainer(
                new FlinkJobManagerResource(name),
                FlinkBeamContainerImageTags.Flink(settings.Versions),
                jobManager => new FlinkRestHealthCheck(EndpointAddress.Resolver(jobManager.RestEndpoint), HealthCheckTimeout))
            .WithArgs("jobmanager")
            .WithEnvironment("FLINK_PROPERTIES", FlinkProperties.ForJobManager(settings).Render())
            .WithHttpEndpoint(targetPort: ClusterPorts.FlinkRest, name: EndpointNames.FlinkRest)
            .WithUrlForEndpoint(EndpointNames.FlinkRest, url => url.DisplayText = "Flink UI");

        return resource.WithVolume(CheckpointsVolumeName(resource), ContainerPaths.Checkpoints);
    }

    /// <summary>
    /// Adds one TaskManager per <see cref="FlinkClusterSettings.TaskManagers"/>, named by
    /// <see cref="ResourceNames.TaskManager(int)"/>, each configured further by <paramref name="configure"/>.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<FlinkTaskManagerResource>> AddFlinkTaskManagers(
        this IDistributedApplicationBuilder builder,
        FlinkClusterSettings settings,
        IResourceBuilder<FlinkJobManagerResource> jobManager,
        Action<IResourceBuilder<FlinkTaskManagerResource>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

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
    /// Adds a TaskManager built from <c>containers/taskmanager</c>: the Flink runtime of Cluster's Flink image on
    /// Cluster's Beam Python SDK image (both build arguments come from the one version set), command
    /// <c>taskmanager</c>, Cluster's <c>FLINK_PROPERTIES</c>, the checkpoints volume; it waits for the JobManager.
    /// </summary>
    public static IResourceBuilder<FlinkTaskManagerResource> AddFlinkTaskManager(
        this IDistributedApplicationBuilder builder,
        string name,
        FlinkClusterSettings settings,
        IResourceBuilder<FlinkJobManagerResource> jobManager)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(jobManager);

        return builder.AddResource(new FlinkTaskManagerResource(name))
            .WithDockerfile(FlinkBeamContainerImageTags.TaskManagerContext)
            .WithBuildArg(FlinkBeamContainerImageTags.FlinkImageArgument, FlinkBeamContainerImageTags.Flink(settings.Versions).FullReference)
            .WithBuildArg(FlinkBeamContainerImageTags.PythonSdkImageArgument, FlinkBeamContainerImageTags.PythonSdk(settings.Versions).FullReference)
            .WithArgs("taskmanager")
            .WithEnvironment("FLINK_PROPERTIES", FlinkProperties.ForTaskManager(settings).Render())
            .WithVolume(CheckpointsVolumeName(jobManager), ContainerPaths.Checkpoints)
            .WaitFor(jobManager);
    }

    /// <summary>
    /// Mounts the pipelines' input folder read-only at <see cref="ContainerPaths.Data"/> and the output folder at
    /// <see cref="ContainerPaths.Outputs"/>, so inputs and results live on the host. Paths are relative to the AppHost.
    /// </summary>
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
    public static string CheckpointsVolumeName(IResourceBuilder<FlinkJobManagerResource> jobManager) =>
        VolumeNameGenerator.Generate(jobManager, "checkpoints");
}
