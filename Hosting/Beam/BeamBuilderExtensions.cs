using System.Globalization;
using System.Runtime.CompilerServices;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Adds the Beam job server, and the Beam parts of the TaskManagers, to the application model.</summary>
public static class BeamBuilderExtensions
{
    /// <summary>
    /// Adds the job server: Cluster's job-server image for the version set, the job (8099), artifact (8098) and
    /// expansion (8097) endpoints over HTTP/2, the artifacts volume at <see cref="ContainerPaths.Artifacts"/>, and a
    /// health check that makes a real Job API <c>GetJobs</c> call, registered under <c>{name}_check</c>.
    /// <see cref="WithFlinkMaster"/> completes it.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="versions">The version set the image is chosen for.</param>
    public static IResourceBuilder<BeamJobServerResource> AddBeamJobServer(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(versions);

        var jobServer = new BeamJobServerResource(name);
        var resource = builder.AddContainer(jobServer, ClusterImages.JobServer(versions))
            .WithHttpEndpoint(targetPort: ClusterPorts.JobService, name: EndpointNames.JobService)
            .WithHttpEndpoint(targetPort: ClusterPorts.ArtifactStaging, name: EndpointNames.ArtifactStaging)
            .WithHttpEndpoint(targetPort: ClusterPorts.Expansion, name: EndpointNames.Expansion)
            // All three are gRPC: HTTP/2 by prior knowledge.
            .WithEndpoint(EndpointNames.JobService, endpoint => endpoint.Transport = "http2")
            .WithEndpoint(EndpointNames.ArtifactStaging, endpoint => endpoint.Transport = "http2")
            .WithEndpoint(EndpointNames.Expansion, endpoint => endpoint.Transport = "http2")
            .WithOwnHealthCheck(ClusterHealthChecks.JobApi(EndpointAddress.Resolver(jobServer.JobEndpoint)));

        return resource.WithVolume(ArtifactsVolumeName(resource), ContainerPaths.Artifacts);
    }

    /// <summary>
    /// Gives the job server Cluster's arguments: the JobManager's REST address on the container network,
    /// <c>--artifacts-dir=/artifacts</c>, the job host and ports. It waits for the JobManager.
    /// </summary>
    /// <param name="jobServer">The job server.</param>
    /// <param name="jobManager">The JobManager it submits jobs to.</param>
    public static IResourceBuilder<BeamJobServerResource> WithFlinkMaster(
        this IResourceBuilder<BeamJobServerResource> jobServer, IResourceBuilder<FlinkJobManagerResource> jobManager)
    {
        ArgumentNullException.ThrowIfNull(jobServer);
        ArgumentNullException.ThrowIfNull(jobManager);

        // Containers reach each other by resource name, under `dotnet run` and in compose alike.
        var settings = new JobServerSettings
        {
            FlinkMaster = string.Create(CultureInfo.InvariantCulture, $"{jobManager.Resource.Name}:{ClusterPorts.FlinkRest}"),
        };
        return jobServer
            .WithArgs(settings.ToArguments().ToArray())
            .WaitFor(jobManager);
    }

    /// <summary>
    /// Exposes the worker pool that runs inside the TaskManager (tcp, target port 50000) and checks it with a StopWorker
    /// call for a worker it never started, registered under <c>{name}_workerpool_check</c>. The endpoint is for health and the Submitter's gate;
    /// pipelines use <c>localhost:50000</c>.
    /// </summary>
    /// <param name="taskManager">The TaskManager.</param>
    public static IResourceBuilder<FlinkTaskManagerResource> WithBeamWorkerPool(this IResourceBuilder<FlinkTaskManagerResource> taskManager)
    {
        ArgumentNullException.ThrowIfNull(taskManager);

        return taskManager
            .WithEndpoint(targetPort: ClusterPorts.WorkerPool, scheme: "tcp", name: EndpointNames.WorkerPool)
            .WithOwnHealthCheck(
                ClusterHealthChecks.WorkerPool(EndpointAddress.Resolver(taskManager.Resource.WorkerPoolEndpoint)),
                EndpointNames.WorkerPool);
    }

    /// <summary>
    /// Tells the TaskManager where the Beam SDK harness runs (<c>FLINKBEAM_SDK_ENVIRONMENT</c>) and, under <c>dotnet run</c> on
    /// Linux, the AppHost user's ids (<c>FLINKBEAM_UID</c>, <c>FLINKBEAM_GID</c>): the worker pool and its SDK workers run as that
    /// user, so the files pipelines write to the bind-mounted outputs folder belong to whoever ran the AppHost. Where that cannot
    /// be (another platform, root, the Process environment) the AppHost says so once as it starts. A published topology gets no
    /// ids: the image takes the owner of the mounted outputs folder on the machine that runs it. The TaskManager itself runs as
    /// Flink's user either way.
    /// </summary>
    /// <param name="taskManager">The TaskManager.</param>
    /// <param name="environment">Where the TaskManager runs the SDK harness, as the pipelines' options say.</param>
    public static IResourceBuilder<FlinkTaskManagerResource> WithSdkHarness(
        this IResourceBuilder<FlinkTaskManagerResource> taskManager, SdkEnvironment environment) =>
        WithSdkHarness(taskManager, environment, HostUser.Current());

    /// <summary>As <see cref="WithSdkHarness(IResourceBuilder{FlinkTaskManagerResource}, SdkEnvironment)"/>, for a given host user.</summary>
    internal static IResourceBuilder<FlinkTaskManagerResource> WithSdkHarness(
        this IResourceBuilder<FlinkTaskManagerResource> taskManager, SdkEnvironment environment, HostUser? host)
    {
        ArgumentNullException.ThrowIfNull(taskManager);
        if (!Enum.IsDefined(environment))
        {
            throw new ArgumentOutOfRangeException(nameof(environment), environment, "Expected External or Process.");
        }

        var builder = taskManager.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode)
        {
            return taskManager.WithEnvironment(SdkHarnessUser.EnvironmentVariable, environment.ToString());
        }

        var decision = SdkHarnessUser.Decide(host, environment, SdkHarnessUser.PlatformName());
        foreach (var (name, value) in decision.Environment)
        {
            taskManager.WithEnvironment(name, value);
        }

        // Once per application, however many TaskManagers there are.
        if (decision.Notice is { } notice && NoticesGiven.TryAdd(builder, notice))
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FlinkBeam.Hosting").LogInformation("{Notice}", notice);
                return Task.CompletedTask;
            });
        }

        return taskManager;
    }

    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, string> NoticesGiven = [];

    /// <summary>
    /// Mounts the job server's artifacts volume at the same path, <see cref="ContainerPaths.Artifacts"/>: the Flink
    /// job refers to staged files by the job server's absolute path and the TaskManager serves them to its workers.
    /// </summary>
    /// <param name="taskManager">The TaskManager.</param>
    /// <param name="jobServer">The job server whose artifacts it reads.</param>
    public static IResourceBuilder<FlinkTaskManagerResource> WithArtifactsFrom(
        this IResourceBuilder<FlinkTaskManagerResource> taskManager, IResourceBuilder<BeamJobServerResource> jobServer)
    {
        ArgumentNullException.ThrowIfNull(taskManager);
        ArgumentNullException.ThrowIfNull(jobServer);

        return taskManager.WithVolume(ArtifactsVolumeName(jobServer), ContainerPaths.Artifacts);
    }

    /// <summary>Mounts the job server's artifacts volume in every one of <paramref name="taskManagers"/> (<see cref="WithArtifactsFrom"/>).</summary>
    /// <param name="jobServer">The job server.</param>
    /// <param name="taskManagers">The TaskManagers that run its jobs.</param>
    public static IResourceBuilder<BeamJobServerResource> WithArtifactsSharedWith(
        this IResourceBuilder<BeamJobServerResource> jobServer, IEnumerable<IResourceBuilder<FlinkTaskManagerResource>> taskManagers)
    {
        ArgumentNullException.ThrowIfNull(jobServer);
        ArgumentNullException.ThrowIfNull(taskManagers);

        foreach (var taskManager in taskManagers)
        {
            ArgumentNullException.ThrowIfNull(taskManager, nameof(taskManagers));
            taskManager.WithArtifactsFrom(jobServer);
        }

        return jobServer;
    }

    /// <summary>The named volume the job server and every TaskManager share at <see cref="ContainerPaths.Artifacts"/>.</summary>
    /// <param name="jobServer">The job server.</param>
    public static string ArtifactsVolumeName(IResourceBuilder<BeamJobServerResource> jobServer)
    {
        ArgumentNullException.ThrowIfNull(jobServer);
        return VolumeNameGenerator.Generate(jobServer, "artifacts");
    }
}
