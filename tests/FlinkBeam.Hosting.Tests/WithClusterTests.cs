using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// <c>WithCluster</c>: whatever serves the cluster, containers or external services, the Submitter gets the same
/// service-discovery entries, never waits for the cluster in Aspire, and its pipelines' job links point at Flink REST.
/// </summary>
public sealed class WithClusterTests
{
    private static readonly string FlinkKey = $"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0";
    private static readonly string JobKey = $"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0";
    private static readonly string ArtifactKey = $"services__{ResourceNames.JobServer}__{EndpointNames.ArtifactStaging}__0";

    private static string PoolKey(int index) => $"services__{ResourceNames.TaskManager(index)}__{EndpointNames.WorkerPool}__0";

    private static SubmitterResource WithContainers(IDistributedApplicationBuilder builder) =>
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithCluster(builder.AddFlinkCluster(Model.Settings)).Resource;

    [Fact]
    public async Task Containers_arrive_as_the_host_addresses_of_their_endpoints_under_the_contract_names()
    {
        var builder = Model.RunMode();
        var submitter = WithContainers(builder);
        await using var app = builder.Build();
        var jobManager = app.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        var jobServer = app.Single<BeamJobServerResource>(ResourceNames.JobServer);

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.Equal($"http://localhost:{Model.AllocatedPort(jobManager, EndpointNames.FlinkRest)}", environment[FlinkKey]);
        Assert.Equal($"http://localhost:{Model.AllocatedPort(jobServer, EndpointNames.JobService)}", environment[JobKey]);
        Assert.Equal($"http://localhost:{Model.AllocatedPort(jobServer, EndpointNames.ArtifactStaging)}", environment[ArtifactKey]);
        foreach (var index in new[] { 1, 2 })
        {
            var taskManager = app.Single<FlinkTaskManagerResource>(ResourceNames.TaskManager(index));
            Assert.Equal($"tcp://localhost:{Model.AllocatedPort(taskManager, EndpointNames.WorkerPool)}", environment[PoolKey(index)]);
        }

        Assert.DoesNotContain(PoolKey(3), environment.Keys);
        Assert.Equal(
            new Uri($"http://localhost:{Model.AllocatedPort(jobManager, EndpointNames.FlinkRest)}"),
            await submitter.FlinkRestAddress!(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task In_publish_mode_the_entries_are_the_endpoints_expressions()
    {
        var builder = Model.PublishMode();
        var submitter = WithContainers(builder);
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.Equal("{flink-jobmanager.bindings.http.url}", environment[FlinkKey]);
        Assert.Equal("{beam-jobserver.bindings.job.url}", environment[JobKey]);
        Assert.Equal("{beam-jobserver.bindings.artifact.url}", environment[ArtifactKey]);
        Assert.Equal("{flink-taskmanager-2.bindings.workerpool.url}", environment[PoolKey(2)]);
    }

    [Fact]
    public async Task The_Submitter_references_every_part_of_the_cluster_but_waits_for_none()
    {
        var builder = Model.RunMode();
        var submitter = WithContainers(builder);
        await using var app = builder.Build();

        Assert.Empty(Model.Waits(submitter));
        var referenced = submitter.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == "Reference")
            .Select(r => r.Resource.Name)
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.Equal([ResourceNames.JobServer, ResourceNames.JobManager, ResourceNames.TaskManager(1), ResourceNames.TaskManager(2)], referenced);
    }

    [Fact]
    public async Task External_services_arrive_as_their_URLs_under_the_same_names_whatever_they_are_called()
    {
        var builder = Model.RunMode();
        var cluster = FlinkBeamCluster.FromExternalServices(
            builder.AddExternalService("compose-flink", "http://flink.example:8081"),
            builder.AddExternalService("compose-jobs", "http://jobs.example:8099"),
            [builder.AddExternalService("compose-pool", "tcp://tm.example:50000")],
            builder.AddExternalService("compose-artifacts", "http://jobs.example:8098"));
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithCluster(cluster).Resource;
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.Equal("http://flink.example:8081/", environment[FlinkKey]);
        Assert.Equal("http://jobs.example:8099/", environment[JobKey]);
        Assert.Equal("http://jobs.example:8098/", environment[ArtifactKey]);
        Assert.Equal("tcp://tm.example:50000/", environment[PoolKey(1)]);
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("services__compose-", StringComparison.Ordinal));
        Assert.Equal(new Uri("http://flink.example:8081/"), await submitter.FlinkRestAddress!(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Without_artifact_staging_or_worker_pools_there_are_no_such_entries()
    {
        var builder = Model.RunMode();
        var cluster = FlinkBeamCluster.FromExternalServices(
            builder.AddExternalService("flink", "http://flink.example:8081"), builder.AddExternalService("jobs", "http://jobs.example:8099"), []);
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithCluster(cluster).Resource;
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.DoesNotContain(ArtifactKey, environment.Keys);
        Assert.DoesNotContain(PoolKey(1), environment.Keys);
    }

    [Fact]
    public async Task An_external_service_given_by_a_parameter_arrives_as_the_parameters_value()
    {
        var builder = Model.RunMode();
        builder.Configuration["Parameters:flink-url"] = "http://flink.internal.example:8081";
        var flink = builder.AddExternalService("flink", builder.AddParameter("flink-url"));
        var cluster = FlinkBeamCluster.FromExternalServices(flink, builder.AddExternalService("jobs", "http://jobs.example:8099"), []);
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithCluster(cluster).Resource;
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.Equal("http://flink.internal.example:8081", environment[FlinkKey]);
        Assert.Equal(new Uri("http://flink.internal.example:8081"), await submitter.FlinkRestAddress!(TestContext.Current.CancellationToken));
    }
}
