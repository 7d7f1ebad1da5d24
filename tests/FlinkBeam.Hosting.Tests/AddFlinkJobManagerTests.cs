using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Health;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>AddFlinkJobManager</c>: the JobManager container as Aspire would start it.</summary>
public sealed class AddFlinkJobManagerTests
{
    private static DistributedApplication Build(string name = ResourceNames.JobManager)
    {
        var builder = Model.RunMode();
        builder.AddFlinkJobManager(name, Model.Flink);
        return builder.Build();
    }

    [Fact]
    public async Task It_runs_Clusters_Flink_image_as_jobmanager_with_Clusters_properties()
    {
        await using var app = Build();
        var jobManager = app.Single<FlinkJobManagerResource>(ResourceNames.JobManager);

        var image = Assert.Single(jobManager.Annotations.OfType<ContainerImageAnnotation>());
        var expected = ClusterImages.Flink(VersionSet.Default);
        Assert.Equal(("docker.io", "flink", "1.20-java17"), (image.Registry, image.Image, image.Tag));
        Assert.Equal((expected.Registry, expected.Image, expected.Tag), (image.Registry, image.Image, image.Tag));
        Assert.Equal(["jobmanager"], await Model.ArgumentsAsync(app, jobManager));
        var environment = await Model.EnvironmentAsync(app, jobManager);
        Assert.Equal(FlinkProperties.ForJobManager(Model.Flink).Render(), environment["FLINK_PROPERTIES"]);
    }

    [Fact]
    public async Task It_exposes_only_REST_on_8081_and_waits_for_nothing()
    {
        await using var app = Build();
        var jobManager = app.Single<FlinkJobManagerResource>(ResourceNames.JobManager);

        Assert.True(jobManager.TryGetEndpoints(out var endpoints));
        var rest = Assert.Single(endpoints);
        Assert.Equal((EndpointNames.FlinkRest, ClusterPorts.FlinkRest, "http"), (rest.Name, rest.TargetPort, rest.UriScheme));
        Assert.Same(jobManager, jobManager.RestEndpoint.Resource);
        Assert.Equal(EndpointNames.FlinkRest, jobManager.RestEndpoint.EndpointName);

        // Waiting for the TaskManagers would deadlock: they wait for the JobManager to be healthy.
        Assert.Empty(Model.Waits(jobManager));
    }

    [Fact]
    public async Task Its_REST_endpoint_shows_as_Flink_UI_in_the_dashboard()
    {
        await using var app = Build();
        var jobManager = app.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        var url = new ResourceUrlAnnotation { Url = "http://localhost:18081", Endpoint = jobManager.RestEndpoint };
        var context = new ResourceUrlsCallbackContext(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), jobManager, [url], TestContext.Current.CancellationToken)
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
    public async Task Checkpoints_live_on_a_named_volume()
    {
        var builder = Model.RunMode();
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink);
        await using var app = builder.Build();

        var mount = Model.Mount(jobManager.Resource, ContainerPaths.Checkpoints);
        Assert.Equal((ContainerMountType.Volume, FlinkBuilderExtensions.CheckpointsVolumeName(jobManager), false), (mount.Type, mount.Source, mount.IsReadOnly));
    }

    [Fact]
    public async Task Its_health_is_Flink_REST_overview_under_a_key_derived_from_its_name()
    {
        await using var app = Build("my-flink");
        var jobManager = app.Single<FlinkJobManagerResource>("my-flink");

        Assert.Equal(["my-flink_check"], Model.HealthCheckKeys(jobManager));
        Assert.IsType<FlinkRestHealthCheck>(Model.HealthCheck(app, "my-flink_check"));
    }

    [Fact]
    public async Task Its_health_check_probes_the_address_the_REST_endpoint_is_given()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(TestContext.Current.CancellationToken);
        var builder = Model.RunMode();
        builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink)
            .WithEndpoint(EndpointNames.FlinkRest, e => e.AllocatedEndpoint = new AllocatedEndpoint(e, "127.0.0.1", flink.RestUrl.Port));
        await using var app = builder.Build();

        var result = await Model.CheckAsync(app, $"{ResourceNames.JobManager}_check");

        Assert.True(result.Status == HealthStatus.Healthy, result.Description);
        Assert.Contains($"127.0.0.1:{flink.RestUrl.Port}", result.Description, StringComparison.Ordinal);
    }
}
