using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Health;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>ExistingClusterSettings</c> and <c>AddExistingCluster</c>, the cluster the Submitter takes with <c>WithCluster</c>.</summary>
public sealed class ExistingClusterTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"FlinkBeam:ExistingCluster:{v.Key}", v.Value)))
            .Build();

    [Fact]
    public void Without_a_Flink_REST_URL_there_is_no_existing_cluster()
    {
        Assert.Null(ExistingClusterSettings.Load(Configuration(), 2));
        Assert.Null(ExistingClusterSettings.Load(Configuration(("JobEndpoint", "http://localhost:8099")), 2));
    }

    [Fact]
    public void In_FlinkRunner_mode_the_Job_API_is_neither_required_nor_used()
    {
        var settings = ExistingClusterSettings.Load(
            Configuration(("FlinkRestUrl", "http://localhost:8081"), ("JobEndpoint", "http://localhost:8099")), 1, RunnerMode.Flink);
        var withoutJobApi = ExistingClusterSettings.Load(Configuration(("FlinkRestUrl", "http://localhost:8081")), 1, RunnerMode.Flink);

        Assert.Null(settings!.JobEndpoint);
        Assert.Null(withoutJobApi!.JobEndpoint);
        Assert.Throws<ArgumentException>(() => ExistingClusterSettings.Load(Configuration(("FlinkRestUrl", "http://localhost:8081")), 1));
    }

    [Fact]
    public void The_section_names_Flink_REST_the_Job_API_and_the_worker_pools_in_order()
    {
        var settings = ExistingClusterSettings.Load(
            Configuration(
                ("FlinkRestUrl", "http://localhost:8081"),
                ("JobEndpoint", "http://localhost:8099"),
                ("WorkerPools:0", "tcp://localhost:50000"),
                ("WorkerPools:1", "tcp://localhost:50001")),
            2);

        Assert.NotNull(settings);
        Assert.Equal(new Uri("http://localhost:8081"), settings.FlinkRestUrl);
        Assert.Equal(new Uri("http://localhost:8099"), settings.JobEndpoint);
        Assert.Equal([new Uri("tcp://localhost:50000"), new Uri("tcp://localhost:50001")], settings.WorkerPools);
    }

    [Theory]
    [InlineData("FlinkRestUrl", "localhost:8081", "FlinkBeam:ExistingCluster:FlinkRestUrl 'localhost:8081' is not an absolute http:// or https:// URL; give it as e.g. http://localhost:8081.")]
    [InlineData("FlinkRestUrl", "ftp://flink:8081", "FlinkBeam:ExistingCluster:FlinkRestUrl 'ftp://flink:8081' is not an absolute http:// or https:// URL; give it as e.g. http://localhost:8081.")]
    [InlineData("JobEndpoint", "localhost:8099", "FlinkBeam:ExistingCluster:JobEndpoint 'localhost:8099' is not an absolute http:// URL; give it as e.g. http://localhost:8099.")]
    [InlineData("JobEndpoint", "", "FlinkBeam:ExistingCluster:JobEndpoint is required with FlinkBeam:ExistingCluster:FlinkRestUrl; give it as e.g. http://localhost:8099.")]
    [InlineData("WorkerPools:0", "localhost:50000", "FlinkBeam:ExistingCluster:WorkerPools:0 'localhost:50000' is not an absolute tcp:// URL; give it as e.g. tcp://localhost:50000.")]
    public void A_bad_setting_is_one_sentence_naming_it_its_value_and_an_example(string key, string value, string message)
    {
        var values = new Dictionary<string, string>
        {
            ["FlinkRestUrl"] = "http://localhost:8081",
            ["JobEndpoint"] = "http://localhost:8099",
        };
        values[key] = value;

        var error = Assert.Throws<ArgumentException>(() =>
            ExistingClusterSettings.Load(Configuration(values.Select(v => (v.Key, v.Value)).ToArray()), 2));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void More_worker_pools_than_TaskManagers_is_refused_naming_both_settings()
    {
        var error = Assert.Throws<ArgumentException>(() => ExistingClusterSettings.Load(
            Configuration(
                ("FlinkRestUrl", "http://localhost:8081"),
                ("JobEndpoint", "http://localhost:8099"),
                ("WorkerPools:0", "tcp://localhost:50000"),
                ("WorkerPools:1", "tcp://localhost:50001")),
            1));

        Assert.Equal(
            "FlinkBeam:ExistingCluster:WorkerPools names 2 worker pools, but FlinkBeam:TaskManagers is 1; give one worker pool per TaskManager at most.",
            error.Message);
    }

    [Fact]
    public async Task The_cluster_is_external_services_with_health_checks_and_no_containers()
    {
        var builder = Model.RunMode();
        var cluster = builder.AddExistingCluster(new ExistingClusterSettings(
            new Uri("http://localhost:8081"), new Uri("http://localhost:8099"), [new Uri("tcp://localhost:50000")]));
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithCluster(cluster);
        await using var app = builder.Build();

        var model = app.Services.GetService(typeof(DistributedApplicationModel)) as DistributedApplicationModel;
        Assert.NotNull(model);
        Assert.Empty(model.Resources.OfType<ContainerResource>());
        Assert.Equal(
            [ResourceNames.JobManager, ResourceNames.JobServer, "flink-taskmanager-1-workerpool"],
            model.Resources.OfType<ExternalServiceResource>().Select(r => r.Name));
        Assert.IsType<FlinkRestHealthCheck>(Model.HealthCheck(app, "flink-jobmanager_check"));
        Assert.IsType<BeamJobServerHealthCheck>(Model.HealthCheck(app, "beam-jobserver_check"));
        Assert.IsType<WorkerPoolHealthCheck>(Model.HealthCheck(app, "flink-taskmanager-1-workerpool_check"));

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));
        Assert.Equal("http://localhost:8081/", environment[$"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0"]);
        Assert.Equal("http://localhost:8099/", environment[$"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0"]);
        Assert.Equal("tcp://localhost:50000/", environment[$"services__{ResourceNames.TaskManager(1)}__{EndpointNames.WorkerPool}__0"]);
    }

    [Fact]
    public async Task Each_external_part_is_healthy_only_when_it_answers_its_own_protocol()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var flink = await FakeFlinkCluster.StartAsync(ct);
        await using var jobs = await FakeBeamJobServer.StartAsync(ct);
        var closed = FakePipelineFiles.ClosedPort();
        var builder = Model.RunMode();
        builder.AddExistingCluster(new ExistingClusterSettings(
            flink.RestUrl, new Uri($"http://{jobs.HostAndPort}"), [new Uri($"tcp://127.0.0.1:{closed}")]));
        // Flink's REST URL where the job server answers: a port that accepts connections is not enough.
        builder.AddExternalService("not-flink", $"http://{jobs.HostAndPort}").WithFlinkRestHealthCheck();
        // A worker pool's address where the job server answers: a gRPC server of another kind is not a pool.
        builder.AddExternalService("not-a-pool", $"tcp://{jobs.HostAndPort}").WithWorkerPoolHealthCheck();
        await using var app = builder.Build();

        var flinkHealth = await Model.CheckAsync(app, "flink-jobmanager_check");
        var jobsHealth = await Model.CheckAsync(app, "beam-jobserver_check");
        var poolHealth = await Model.CheckAsync(app, "flink-taskmanager-1-workerpool_check");
        var notFlink = await Model.CheckAsync(app, "not-flink_check");
        var notAPool = await Model.CheckAsync(app, "not-a-pool_check");

        Assert.True(flinkHealth.Status == HealthStatus.Healthy, flinkHealth.Description);
        Assert.True(jobsHealth.Status == HealthStatus.Healthy, jobsHealth.Description);
        Assert.NotEqual(HealthStatus.Healthy, poolHealth.Status);
        Assert.NotEqual(HealthStatus.Healthy, notFlink.Status);
        Assert.NotEqual(HealthStatus.Healthy, notAPool.Status);
        Assert.Contains("StopWorker is UNIMPLEMENTED", notAPool.Description, StringComparison.Ordinal);
    }
}
