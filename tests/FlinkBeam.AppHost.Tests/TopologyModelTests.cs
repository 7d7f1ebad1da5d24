using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Python;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.AppHost.Tests;

/// <summary>
/// The AppHost's topology as AppHost.cs composes it from the hosting library and appsettings.json. What each resource
/// is made of is FlinkBeam.Hosting.Tests' business; this says the AppHost puts them together.
/// </summary>
public sealed class TopologyModelTests
{
    private static IReadOnlyList<FlinkTaskManagerResource> TaskManagers(IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<FlinkTaskManagerResource>().OrderBy(r => r.Name, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Every_component_is_a_resource_with_its_name()
    {
        await using var builder = await AppHostModel.CreateAsync();

        builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        builder.Single<BeamJobServerResource>(ResourceNames.JobServer);
        builder.Single<PythonAppResource>(ResourceNames.Pipelines);
        builder.Single<SubmitterResource>(ResourceNames.Submitter);
        Assert.Equal(
            [ResourceNames.TaskManager(1), ResourceNames.TaskManager(2)],
            TaskManagers(builder).Select(t => t.Name));
        Assert.Empty(builder.Resources.OfType<ExternalServiceResource>());
    }

    [Fact]
    public async Task The_TaskManagers_are_built_images_named_after_the_version_set_with_worker_pools_artifacts_and_folders()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var versions = VersionSet.Create(VersionDefaults.Beam, VersionDefaults.Flink, AppHostModel.DefaultPython);

        Assert.All(TaskManagers(builder), taskManager =>
        {
            Assert.True(taskManager.TryGetContainerImageName(out var image));
            Assert.Equal($"flinkbeam/flink-taskmanager:{versions.Beam}-flink{versions.Flink}-python{versions.Python}", image);
            Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
            Assert.Equal(ClusterImages.PythonSdk(versions).FullReference, build.BuildArguments["BEAM_SDK_IMAGE"]);
            Assert.True(taskManager.TryGetEndpoints(out var endpoints));
            Assert.Contains(endpoints, e => e.Name == EndpointNames.WorkerPool);
            Assert.True(taskManager.TryGetContainerMounts(out var mounts));
            Assert.Equal(
                [ContainerPaths.Artifacts, ContainerPaths.Checkpoints, ContainerPaths.Data, ContainerPaths.Outputs],
                mounts.Select(m => m.Target).Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public async Task One_Beam_version_changes_every_image_and_the_environment_check()
    {
        await using var builder = await AppHostModel.CreateAsync("FlinkBeam:BeamVersion=2.75.0");
        var versions = VersionSet.Create("2.75.0", VersionDefaults.Flink, AppHostModel.DefaultPython);

        var jobServer = builder.Single<BeamJobServerResource>(ResourceNames.JobServer);
        Assert.Equal("2.75.0", Assert.Single(jobServer.Annotations.OfType<ContainerImageAnnotation>()).Tag);
        Assert.All(TaskManagers(builder), taskManager =>
        {
            Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
            Assert.Equal(ClusterImages.PythonSdk(versions).FullReference, build.BuildArguments["BEAM_SDK_IMAGE"]);
        });
        var pipelines = builder.Single<PythonAppResource>(ResourceNames.Pipelines);
        Assert.Equal(
            ["env_check.py", "--expect-beam", "2.75.0", "--expect-python", AppHostModel.DefaultPython],
            await builder.ArgumentsAsync(pipelines));
    }

    [Fact]
    public async Task TaskManager_count_follows_configuration()
    {
        await using var builder = await AppHostModel.CreateAsync("FlinkBeam:TaskManagers=3");

        Assert.Equal(
            [ResourceNames.TaskManager(1), ResourceNames.TaskManager(2), ResourceNames.TaskManager(3)],
            TaskManagers(builder).Select(t => t.Name));
    }

    [Fact]
    public async Task An_existing_cluster_in_configuration_replaces_every_container()
    {
        await using var builder = await AppHostModel.CreateAsync(
            "FlinkBeam:ExistingCluster:FlinkRestUrl=http://localhost:8081",
            "FlinkBeam:ExistingCluster:JobEndpoint=http://localhost:8099");

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        Assert.Equal(
            [ResourceNames.JobManager, ResourceNames.JobServer],
            builder.Resources.OfType<ExternalServiceResource>().Select(r => r.Name));
        builder.Single<SubmitterResource>(ResourceNames.Submitter);
        builder.Single<PythonAppResource>(ResourceNames.Pipelines);
    }
}
