using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Python;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Health;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.AppHost.Tests;

/// <summary>The Flink + Beam topology of the AppHost's model, as configured by appsettings.json.</summary>
public sealed class TopologyModelTests
{
    private static readonly VersionSet Versions = VersionSet.Default;

    private static IReadOnlyList<FlinkTaskManagerResource> TaskManagers(IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<FlinkTaskManagerResource>().OrderBy(r => r.Name, StringComparer.Ordinal).ToList();

    private static ContainerMountAnnotation Mount(IResource resource, string target)
    {
        Assert.True(resource.TryGetContainerMounts(out var mounts), $"{resource.Name} has no mounts");
        return Assert.Single(mounts, m => m.Target == target);
    }

    private static EndpointAnnotation Endpoint(IResource resource, string name)
    {
        Assert.True(resource.TryGetEndpoints(out var endpoints), $"{resource.Name} has no endpoints");
        return Assert.Single(endpoints, e => e.Name == name);
    }

    private static IReadOnlyList<WaitAnnotation> Waits(IResource resource) =>
        resource.TryGetAnnotationsOfType<WaitAnnotation>(out var waits) ? waits.ToList() : [];

    [Fact]
    public async Task Every_component_is_a_resource_with_its_name()
    {
        await using var builder = await AppHostModel.CreateAsync();

        builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        builder.Single<BeamJobServerResource>(ResourceNames.JobServer);
        builder.Single<PythonAppResource>(ResourceNames.Pipelines);
        builder.Single<ProjectResource>(ResourceNames.Submitter);
        Assert.Equal(
            [ResourceNames.TaskManager(1), ResourceNames.TaskManager(2)],
            TaskManagers(builder).Select(t => t.Name));
    }

    [Fact]
    public async Task JobManager_runs_Clusters_Flink_image_as_jobmanager_with_Clusters_properties()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var jobManager = builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);

        var image = Assert.Single(jobManager.Annotations.OfType<ContainerImageAnnotation>());
        var expected = ClusterImages.Flink(Versions);
        Assert.Equal((expected.Registry, expected.Image, expected.Tag), (image.Registry, image.Image, image.Tag));
        Assert.Equal(["jobmanager"], await builder.ArgumentsAsync(jobManager));

        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        var environment = await AppHostModel.EnvironmentAsync(app, jobManager);
        var settings = new FlinkClusterSettings { Versions = Versions, TaskManagers = 2, SlotsPerTaskManager = 2 };
        Assert.Equal(FlinkProperties.ForJobManager(settings).Render(), environment["FLINK_PROPERTIES"]);
    }

    [Fact]
    public async Task JobManager_exposes_only_REST_and_waits_for_nothing()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var jobManager = builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);

        Assert.True(jobManager.TryGetEndpoints(out var endpoints));
        var rest = Assert.Single(endpoints);
        Assert.Equal((EndpointNames.FlinkRest, ClusterPorts.FlinkRest, "http"), (rest.Name, rest.TargetPort, rest.UriScheme));

        // Waiting for the TaskManagers would deadlock: they wait for the JobManager to be healthy.
        Assert.Empty(Waits(jobManager));

    }

    [Fact]
    public async Task JobManager_REST_endpoint_shows_as_Flink_UI_in_the_dashboard()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var jobManager = builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        var url = new ResourceUrlAnnotation { Url = "http://localhost:18081", Endpoint = jobManager.GetEndpoint(EndpointNames.FlinkRest) };
        var context = new ResourceUrlsCallbackContext(builder.ExecutionContext, jobManager, [url], TestContext.Current.CancellationToken)
        {
            Logger = NullLogger.Instance,
        };

        foreach (var callback in jobManager.Annotations.OfType<ResourceUrlsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Equal("Flink UI", url.DisplayText);
    }

    [Fact]
    public async Task Job_server_runs_Clusters_image_with_Clusters_arguments_and_waits_for_the_JobManager()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var jobServer = builder.Single<BeamJobServerResource>(ResourceNames.JobServer);
        var jobManager = builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);

        var image = Assert.Single(jobServer.Annotations.OfType<ContainerImageAnnotation>());
        var expected = ClusterImages.JobServer(Versions);
        Assert.Equal((expected.Registry, expected.Image, expected.Tag), (image.Registry, image.Image, image.Tag));

        var arguments = await builder.ArgumentsAsync(jobServer);
        Assert.Equal(new JobServerSettings().ToArguments(), arguments);
        Assert.Contains($"--flink-master={ResourceNames.JobManager}:{ClusterPorts.FlinkRest}", arguments);
        Assert.Contains($"--artifacts-dir={ContainerPaths.Artifacts}", arguments);

        var wait = Assert.Single(Waits(jobServer));
        Assert.Same(jobManager, wait.Resource);
        Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType);
    }

    [Theory]
    [InlineData(EndpointNames.JobService, ClusterPorts.JobService)]
    [InlineData(EndpointNames.ArtifactStaging, ClusterPorts.ArtifactStaging)]
    [InlineData(EndpointNames.Expansion, ClusterPorts.Expansion)]
    public async Task Job_server_endpoints_are_gRPC_over_HTTP2_on_their_target_ports(string name, int targetPort)
    {
        await using var builder = await AppHostModel.CreateAsync();
        var jobServer = builder.Single<BeamJobServerResource>(ResourceNames.JobServer);

        var endpoint = Endpoint(jobServer, name);

        Assert.Equal(targetPort, endpoint.TargetPort);
        Assert.Equal("http", endpoint.UriScheme);
        Assert.Equal("http2", endpoint.Transport);
    }

    [Fact]
    public async Task TaskManagers_are_built_with_both_images_derived_from_the_one_version_set()
    {
        await using var builder = await AppHostModel.CreateAsync();

        foreach (var taskManager in TaskManagers(builder))
        {
            Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
            Assert.Equal(Path.Combine(RepositoryPaths.AppHost, "containers", "taskmanager"), build.ContextPath);
            Assert.Equal(Path.Combine(RepositoryPaths.AppHost, "containers", "taskmanager", "Dockerfile"), build.DockerfilePath);
            Assert.Equal(ClusterImages.Flink(Versions).FullReference, build.BuildArguments["FLINK_IMAGE"]);
            Assert.Equal(ClusterImages.PythonSdk(Versions).FullReference, build.BuildArguments["BEAM_SDK_IMAGE"]);
            Assert.Equal(["taskmanager"], await builder.ArgumentsAsync(taskManager));
        }
    }

    [Fact]
    public async Task One_Beam_version_changes_every_image_build_argument_and_the_environment_check()
    {
        await using var builder = await AppHostModel.CreateAsync("FlinkBeam:BeamVersion=2.75.0");
        var versions = VersionSet.Create("2.75.0", VersionDefaults.Flink, VersionDefaults.Python);

        var jobServer = builder.Single<BeamJobServerResource>(ResourceNames.JobServer);
        var image = Assert.Single(jobServer.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(ClusterImages.JobServer(versions).Tag, image.Tag);
        Assert.Equal("2.75.0", image.Tag);

        foreach (var taskManager in TaskManagers(builder))
        {
            Assert.True(taskManager.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
            Assert.Equal(ClusterImages.PythonSdk(versions).FullReference, build.BuildArguments["BEAM_SDK_IMAGE"]);
        }

        var pipelines = builder.Single<PythonAppResource>(ResourceNames.Pipelines);
        Assert.Equal(
            ["env_check.py", "--expect-beam", "2.75.0", "--expect-python", VersionDefaults.Python],
            await builder.ArgumentsAsync(pipelines));
    }

    [Fact]
    public async Task TaskManagers_expose_their_worker_pool_over_tcp_on_50000_and_wait_for_the_JobManager()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var jobManager = builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager);

        foreach (var taskManager in TaskManagers(builder))
        {
            var pool = Endpoint(taskManager, EndpointNames.WorkerPool);
            Assert.Equal((ClusterPorts.WorkerPool, "tcp"), (pool.TargetPort, pool.UriScheme));

            var wait = Assert.Single(Waits(taskManager));
            Assert.Same(jobManager, wait.Resource);
            Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType);
        }
    }

    [Fact]
    public async Task Artifacts_volume_is_the_same_at_artifacts_on_the_job_server_and_every_TaskManager()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var onJobServer = Mount(builder.Single<BeamJobServerResource>(ResourceNames.JobServer), ContainerPaths.Artifacts);

        Assert.Equal(ContainerMountType.Volume, onJobServer.Type);
        Assert.False(string.IsNullOrEmpty(onJobServer.Source));
        Assert.All(TaskManagers(builder), taskManager =>
        {
            var mount = Mount(taskManager, ContainerPaths.Artifacts);
            Assert.Equal((ContainerMountType.Volume, onJobServer.Source, false), (mount.Type, mount.Source, mount.IsReadOnly));
        });
    }

    [Fact]
    public async Task Checkpoints_volume_is_shared_by_the_JobManager_and_every_TaskManager()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var onJobManager = Mount(builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager), ContainerPaths.Checkpoints);

        Assert.Equal(ContainerMountType.Volume, onJobManager.Type);
        Assert.All(TaskManagers(builder), taskManager =>
            Assert.Equal(onJobManager.Source, Mount(taskManager, ContainerPaths.Checkpoints).Source));
    }

    [Fact]
    public async Task TaskManagers_bind_the_sample_data_read_only_and_the_outputs_folder()
    {
        await using var builder = await AppHostModel.CreateAsync();

        Assert.All(TaskManagers(builder), taskManager =>
        {
            var data = Mount(taskManager, ContainerPaths.Data);
            Assert.Equal((ContainerMountType.BindMount, RepositoryPaths.Data, true), (data.Type, data.Source, data.IsReadOnly));

            var outputs = Mount(taskManager, ContainerPaths.Outputs);
            Assert.Equal((ContainerMountType.BindMount, RepositoryPaths.Outputs, false), (outputs.Type, outputs.Source, outputs.IsReadOnly));
        });
        Assert.True(Directory.Exists(RepositoryPaths.Outputs), "the outputs folder is created before the containers start");
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
    public async Task Each_cluster_resource_has_its_own_registered_health_check()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var expected = new Dictionary<string, (IResource Resource, Type Check)>
        {
            [$"{ResourceNames.JobManager}_check"] = (builder.Single<FlinkJobManagerResource>(ResourceNames.JobManager), typeof(FlinkRestHealthCheck)),
            [$"{ResourceNames.JobServer}_check"] = (builder.Single<BeamJobServerResource>(ResourceNames.JobServer), typeof(BeamJobServerHealthCheck)),
        };
        foreach (var taskManager in TaskManagers(builder))
        {
            expected[$"{taskManager.Name}_workerpool_check"] = (taskManager, typeof(WorkerPoolHealthCheck));
        }

        foreach (var (key, (resource, _)) in expected)
        {
            Assert.Contains(resource.Annotations.OfType<HealthCheckAnnotation>(), a => a.Key == key);
        }

        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        var registrations = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        foreach (var (key, (_, checkType)) in expected)
        {
            var registration = Assert.Single(registrations, r => r.Name == key);
            Assert.IsType(checkType, registration.Factory(app.Services));
        }

        // One instance per resource: each carries its own resource's address.
        var poolChecks = registrations.Where(r => r.Name.EndsWith("_workerpool_check", StringComparison.Ordinal))
            .Select(r => r.Factory(app.Services)).ToList();
        Assert.Equal(poolChecks.Count, poolChecks.Distinct().Count());
    }
}
