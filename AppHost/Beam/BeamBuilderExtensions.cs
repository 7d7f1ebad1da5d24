using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.AppHost;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Health;

namespace Aspire.Hosting;

/// <summary>Adds the Beam job server, and the Beam parts of the TaskManagers, to the application model.</summary>
public static class BeamBuilderExtensions
{
    private static readonly TimeSpan JobApiDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WorkerPoolProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Adds the job server: Cluster's job-server image for the version set, the job (8099), artifact (8098) and
    /// expansion (8097) endpoints over HTTP/2, the artifacts volume at <see cref="ContainerPaths.Artifacts"/>, and a
    /// health check that makes a real Job API <c>GetJobs</c> call. <see cref="WithFlinkMaster"/> completes it.
    /// </summary>
    public static IResourceBuilder<BeamJobServerResource> AddBeamJobServer(
        this IDistributedApplicationBuilder builder, string name, VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(versions);

        var resource = builder.AddCheckedContainer(
                new BeamJobServerResource(name),
                FlinkBeamContainerImageTags.JobServer(versions),
                jobServer => new BeamJobServerHealthCheck(EndpointAddress.Resolver(jobServer.JobEndpoint), JobApiDeadline))
            .WithHttpEndpoint(targetPort: ClusterPorts.JobService, name: EndpointNames.JobService)
            .WithHttpEndpoint(targetPort: ClusterPorts.ArtifactStaging, name: EndpointNames.ArtifactStaging)
            .WithHttpEndpoint(targetPort: ClusterPorts.Expansion, name: EndpointNames.Expansion)
            // All three are gRPC: HTTP/2 by prior knowledge.
            .WithEndpoint(EndpointNames.JobService, endpoint => endpoint.Transport = "http2")
            .WithEndpoint(EndpointNames.ArtifactStaging, endpoint => endpoint.Transport = "http2")
            .WithEndpoint(EndpointNames.Expansion, endpoint => endpoint.Transport = "http2");

        return resource.WithVolume(ArtifactsVolumeName(resource), ContainerPaths.Artifacts);
    }

    /// <summary>
    /// Gives the job server Cluster's arguments: the JobManager's REST address on the container network,
    /// <c>--artifacts-dir=/artifacts</c>, the job host and ports. It waits for the JobManager.
    /// </summary>
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
    /// Exposes the worker pool that runs inside the TaskManager (tcp, target port 50000) and checks it with an HTTP/2
    /// handshake. The endpoint is for health and the Submitter's gate; pipelines use <c>localhost:50000</c>.
    /// </summary>
    public static IResourceBuilder<FlinkTaskManagerResource> WithBeamWorkerPool(this IResourceBuilder<FlinkTaskManagerResource> taskManager)
    {
        ArgumentNullException.ThrowIfNull(taskManager);

        var healthCheckKey = $"{taskManager.Resource.Name}_{EndpointNames.WorkerPool}_check";
        taskManager.ApplicationBuilder.AddResourceHealthCheck(
            healthCheckKey,
            new WorkerPoolHealthCheck(EndpointAddress.Resolver(taskManager.Resource.WorkerPoolEndpoint), WorkerPoolProbeTimeout));

        return taskManager
            .WithEndpoint(targetPort: ClusterPorts.WorkerPool, scheme: "tcp", name: EndpointNames.WorkerPool)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Mounts the job server's artifacts volume at the same path, <see cref="ContainerPaths.Artifacts"/>: the Flink
    /// job refers to staged files by the job server's absolute path and the TaskManager serves them to its workers.
    /// </summary>
    public static IResourceBuilder<FlinkTaskManagerResource> WithArtifactsFrom(
        this IResourceBuilder<FlinkTaskManagerResource> taskManager, IResourceBuilder<BeamJobServerResource> jobServer)
    {
        ArgumentNullException.ThrowIfNull(taskManager);
        ArgumentNullException.ThrowIfNull(jobServer);

        return taskManager.WithVolume(ArtifactsVolumeName(jobServer), ContainerPaths.Artifacts);
    }

    /// <summary>The named volume the job server and every TaskManager share at <see cref="ContainerPaths.Artifacts"/>.</summary>
    public static string ArtifactsVolumeName(IResourceBuilder<BeamJobServerResource> jobServer) =>
        VolumeNameGenerator.Generate(jobServer, "artifacts");
}
