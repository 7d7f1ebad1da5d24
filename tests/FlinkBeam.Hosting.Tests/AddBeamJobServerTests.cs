using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Health;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>AddBeamJobServer</c> and <c>WithFlinkMaster</c>.</summary>
public sealed class AddBeamJobServerTests
{
    [Fact]
    public async Task It_runs_Clusters_job_server_image_for_the_version_set()
    {
        var builder = Model.RunMode();
        builder.AddBeamJobServer(ResourceNames.JobServer, VersionSet.Default);
        builder.AddBeamJobServer("flink2-jobserver", VersionSet.Create("2.77.0", "2.0", "3.12"));
        await using var app = builder.Build();

        var image = Assert.Single(app.Single<BeamJobServerResource>(ResourceNames.JobServer).Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "apache/beam_flink1.20_job_server", "2.77.0"), (image.Registry, image.Image, image.Tag));
        var flink2 = Assert.Single(app.Single<BeamJobServerResource>("flink2-jobserver").Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("apache/beam_flink_job_server", "2.77.0-flink2.0"), (flink2.Image, flink2.Tag));
    }

    [Theory]
    [InlineData(EndpointNames.JobService, ClusterPorts.JobService)]
    [InlineData(EndpointNames.ArtifactStaging, ClusterPorts.ArtifactStaging)]
    [InlineData(EndpointNames.Expansion, ClusterPorts.Expansion)]
    public async Task Its_endpoints_are_gRPC_over_HTTP2_on_their_target_ports(string name, int targetPort)
    {
        var builder = Model.RunMode();
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, VersionSet.Default);
        await using var app = builder.Build();

        var endpoint = Model.Endpoint(jobServer.Resource, name);

        Assert.Equal((targetPort, "http", "http2"), (endpoint.TargetPort, endpoint.UriScheme, endpoint.Transport));
    }

    [Fact]
    public async Task WithFlinkMaster_gives_Clusters_arguments_naming_the_JobManager_and_waits_for_it()
    {
        var builder = Model.RunMode();
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink);
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, VersionSet.Default).WithFlinkMaster(jobManager);
        await using var app = builder.Build();

        var arguments = await Model.ArgumentsAsync(app, jobServer.Resource);

        Assert.Equal(new JobServerSettings { FlinkMaster = "flink-jobmanager:8081" }.ToArguments(), arguments);
        Assert.Contains("--flink-master=flink-jobmanager:8081", arguments);
        Assert.Contains("--artifacts-dir=/artifacts", arguments);
        var wait = Assert.Single(Model.Waits(jobServer.Resource));
        Assert.Equal((jobManager.Resource, WaitType.WaitUntilHealthy), (wait.Resource, wait.WaitType));
    }

    [Fact]
    public async Task Artifacts_live_on_a_named_volume_at_artifacts()
    {
        var builder = Model.RunMode();
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, VersionSet.Default);
        await using var app = builder.Build();

        var mount = Model.Mount(jobServer.Resource, ContainerPaths.Artifacts);
        Assert.Equal((ContainerMountType.Volume, BeamBuilderExtensions.ArtifactsVolumeName(jobServer)), (mount.Type, mount.Source));
    }

    [Fact]
    public async Task Its_health_is_a_Job_API_call_under_a_key_derived_from_its_name()
    {
        await using var fake = await FakeBeamJobServer.StartAsync(TestContext.Current.CancellationToken);
        var port = int.Parse(fake.HostAndPort.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var builder = Model.RunMode();
        builder.AddBeamJobServer("jobs", VersionSet.Default)
            .WithEndpoint(EndpointNames.JobService, e => e.AllocatedEndpoint = new AllocatedEndpoint(e, "127.0.0.1", port));
        await using var app = builder.Build();

        Assert.Equal(["jobs_check"], Model.HealthCheckKeys(app.Single<BeamJobServerResource>("jobs")));
        Assert.IsType<BeamJobServerHealthCheck>(Model.HealthCheck(app, "jobs_check"));
        var result = await Model.CheckAsync(app, "jobs_check");
        Assert.True(result.Status == HealthStatus.Healthy, result.Description);
    }
}
