using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Health;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>AddFlinkTaskManager(s)</c>, <c>WithBeamWorkerPool</c>, <c>WithArtifactsFrom</c>, <c>WithPipelineFolders</c>.</summary>
public sealed class AddFlinkTaskManagerTests
{
    private static (IResourceBuilder<FlinkJobManagerResource> JobManager, IReadOnlyList<IResourceBuilder<FlinkTaskManagerResource>> TaskManagers) AddCluster(
        IDistributedApplicationBuilder builder, FlinkClusterSettings settings, Action<IResourceBuilder<FlinkTaskManagerResource>>? configure = null)
    {
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, settings);
        return (jobManager, builder.AddFlinkTaskManagers(settings, jobManager, configure));
    }

    [Fact]
    public async Task The_built_image_has_a_real_name_and_a_tag_derived_from_the_version_set()
    {
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink);
        await using var app = builder.Build();

        foreach (var taskManager in taskManagers.Select(t => t.Resource))
        {
            var image = Assert.Single(taskManager.Annotations.OfType<ContainerImageAnnotation>());
            Assert.Equal((null, "flinkbeam/flink-taskmanager", "2.77.0-flink1.20-python3.12"), (image.Registry, image.Image, image.Tag));
            Assert.True(taskManager.TryGetContainerImageName(out var name));
            Assert.Equal("flinkbeam/flink-taskmanager:2.77.0-flink1.20-python3.12", name);
            Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
            Assert.Equal(("flinkbeam/flink-taskmanager", "2.77.0-flink1.20-python3.12"), (build.ImageName, build.ImageTag));
        }
    }

    [Fact]
    public async Task Another_version_set_builds_another_image_on_other_base_images()
    {
        var versions = VersionSet.Create("2.75.0", "2.0", "3.11");
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink with { Versions = versions });
        await using var app = builder.Build();

        var taskManager = taskManagers[0].Resource;
        Assert.True(taskManager.TryGetContainerImageName(out var name));
        Assert.Equal("flinkbeam/flink-taskmanager:2.75.0-flink2.0-python3.11", name);
        Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
        Assert.Equal("docker.io/flink:2.0-java17", build.BuildArguments["FLINK_IMAGE"]);
        Assert.Equal("docker.io/apache/beam_python3.11_sdk:2.75.0", build.BuildArguments["BEAM_SDK_IMAGE"]);
        Assert.Equal("true", build.BuildArguments["FLINK_ENTRYPOINT_STEPS_DOWN"]);
    }

    [Fact]
    public async Task Flink_2_2_builds_with_the_layout_of_its_image_which_runs_as_flink_and_ships_no_gosu()
    {
        var versions = VersionSet.Create("2.77.0", "2.2", "3.12");
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink with { Versions = versions });
        await using var app = builder.Build();

        Assert.True(taskManagers[0].Resource.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
        Assert.Equal(
            TaskManagerImageBuild.Arguments(versions).ToDictionary(a => a.Key, a => (object?)a.Value),
            build.BuildArguments);
        Assert.Equal("false", build.BuildArguments["FLINK_ENTRYPOINT_STEPS_DOWN"]);
        Assert.Equal("/opt/java/openjdk", build.BuildArguments["FLINK_JAVA_HOME"]);
    }

    [Fact]
    public async Task The_image_is_built_from_the_librarys_context_with_both_images_of_the_version_set()
    {
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink);
        await using var app = builder.Build();

        foreach (var taskManager in taskManagers.Select(t => t.Resource))
        {
            Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "containers", "taskmanager"), build.ContextPath);
            Assert.Equal(Path.Combine(build.ContextPath, "Dockerfile"), build.DockerfilePath);
            Assert.Equal(ClusterImages.Flink(VersionSet.Default).FullReference, build.BuildArguments["FLINK_IMAGE"]);
            Assert.Equal(ClusterImages.PythonSdk(VersionSet.Default).FullReference, build.BuildArguments["BEAM_SDK_IMAGE"]);

            // The context travels with the library: the same files as in the repository.
            foreach (var file in new[] { "Dockerfile", "entrypoint.sh" })
            {
                Assert.Equal(File.ReadAllText(Path.Combine(TaskManagerImage.SourceContext, file)), File.ReadAllText(Path.Combine(build.ContextPath, file)));
            }
        }
    }

    [Fact]
    public async Task It_runs_taskmanager_with_Clusters_properties_and_waits_for_the_JobManager_to_be_healthy()
    {
        var builder = Model.RunMode();
        var (jobManager, taskManagers) = AddCluster(builder, Model.Flink);
        await using var app = builder.Build();

        foreach (var taskManager in taskManagers.Select(t => t.Resource))
        {
            Assert.Equal(["taskmanager"], await Model.ArgumentsAsync(app, taskManager));
            var environment = await Model.EnvironmentAsync(app, taskManager);
            Assert.Equal(FlinkProperties.ForTaskManager(Model.Flink).Render(), environment["FLINK_PROPERTIES"]);

            var wait = Assert.Single(Model.Waits(taskManager));
            Assert.Same(jobManager.Resource, wait.Resource);
            Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType);
            var parent = Assert.Single(taskManager.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent");
            Assert.Same(jobManager.Resource, parent.Resource);
        }
    }

    [Fact]
    public async Task The_count_and_names_follow_the_settings()
    {
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink with { TaskManagers = 3 });
        await using var app = builder.Build();

        Assert.Equal(["flink-taskmanager-1", "flink-taskmanager-2", "flink-taskmanager-3"], taskManagers.Select(t => t.Resource.Name));
    }

    [Fact]
    public async Task The_checkpoints_volume_is_the_JobManagers()
    {
        var builder = Model.RunMode();
        var (jobManager, taskManagers) = AddCluster(builder, Model.Flink);
        await using var app = builder.Build();

        var onJobManager = Model.Mount(jobManager.Resource, ContainerPaths.Checkpoints);
        Assert.All(taskManagers, taskManager =>
        {
            var mount = Model.Mount(taskManager.Resource, ContainerPaths.Checkpoints);
            Assert.Equal((ContainerMountType.Volume, onJobManager.Source), (mount.Type, mount.Source));
        });
    }

    [Fact]
    public async Task The_worker_pool_is_a_tcp_endpoint_on_50000_with_a_health_check_per_TaskManager()
    {
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink, t => t.WithBeamWorkerPool());
        await using var app = builder.Build();

        var checks = new List<IHealthCheck>();
        foreach (var taskManager in taskManagers.Select(t => t.Resource))
        {
            var pool = Model.Endpoint(taskManager, EndpointNames.WorkerPool);
            Assert.Equal((ClusterPorts.WorkerPool, "tcp"), (pool.TargetPort, pool.UriScheme));
            Assert.Equal(EndpointNames.WorkerPool, taskManager.WorkerPoolEndpoint.EndpointName);
            Assert.Equal([$"{taskManager.Name}_workerpool_check"], Model.HealthCheckKeys(taskManager));
            checks.Add(Assert.IsType<WorkerPoolHealthCheck>(Model.HealthCheck(app, $"{taskManager.Name}_workerpool_check")));
        }

        // One instance per TaskManager: each carries its own worker pool's address.
        Assert.Equal(checks.Count, checks.Distinct().Count());
    }

    [Fact]
    public async Task The_worker_pool_check_answers_for_the_address_its_TaskManager_is_given()
    {
        await using var pool = await FakeWorkerPool.StartAsync(TestContext.Current.CancellationToken);
        var closed = FakePipelineFiles.ClosedPort();
        var builder = Model.RunMode();
        var (_, taskManagers) = AddCluster(builder, Model.Flink, t => t.WithBeamWorkerPool());
        taskManagers[0].WithEndpoint(EndpointNames.WorkerPool, e => e.AllocatedEndpoint = new AllocatedEndpoint(e, "127.0.0.1", pool.Port));
        taskManagers[1].WithEndpoint(EndpointNames.WorkerPool, e => e.AllocatedEndpoint = new AllocatedEndpoint(e, "127.0.0.1", closed));
        await using var app = builder.Build();

        var answering = await Model.CheckAsync(app, "flink-taskmanager-1_workerpool_check");
        var silent = await Model.CheckAsync(app, "flink-taskmanager-2_workerpool_check");

        Assert.True(answering.Status == HealthStatus.Healthy, answering.Description);
        Assert.NotEqual(HealthStatus.Healthy, silent.Status);
        Assert.Equal([BeamWorkerPoolClient.ProbeWorkerId], pool.StopWorkerIds);
        Assert.Contains($"127.0.0.1:{closed}", silent.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifacts_are_the_job_servers_volume_at_the_same_path()
    {
        var builder = Model.RunMode();
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, VersionSet.Default);
        var (_, taskManagers) = AddCluster(builder, Model.Flink, t => t.WithArtifactsFrom(jobServer));
        await using var app = builder.Build();

        var onJobServer = Model.Mount(jobServer.Resource, ContainerPaths.Artifacts);
        Assert.Equal(ContainerMountType.Volume, onJobServer.Type);
        Assert.All(taskManagers, taskManager =>
        {
            var mount = Model.Mount(taskManager.Resource, ContainerPaths.Artifacts);
            Assert.Equal((ContainerMountType.Volume, onJobServer.Source, false), (mount.Type, mount.Source, mount.IsReadOnly));
        });
    }

    [Fact]
    public async Task Pipeline_folders_are_bind_mounts_data_read_only_and_outputs_created_in_run_mode()
    {
        var root = Directory.CreateTempSubdirectory("flinkbeam-folders-").FullName;
        try
        {
            var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { ProjectDirectory = root });
            var (_, taskManagers) = AddCluster(builder, Model.Flink, t => t.WithPipelineFolders("data", "out/results"));
            await using var app = builder.Build();

            Assert.True(Directory.Exists(Path.Combine(root, "out", "results")), "the outputs folder is created before any container starts");
            Assert.All(taskManagers, taskManager =>
            {
                var data = Model.Mount(taskManager.Resource, ContainerPaths.Data);
                Assert.Equal((ContainerMountType.BindMount, Path.Combine(root, "data"), true), (data.Type, data.Source, data.IsReadOnly));
                var outputs = Model.Mount(taskManager.Resource, ContainerPaths.Outputs);
                Assert.Equal((ContainerMountType.BindMount, Path.Combine(root, "out", "results"), false), (outputs.Type, outputs.Source, outputs.IsReadOnly));
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
