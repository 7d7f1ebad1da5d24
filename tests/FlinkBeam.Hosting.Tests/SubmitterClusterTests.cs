using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// <c>WithFlinkRest</c>, <c>WithJobService</c>, <c>WithWorkerPools</c>: whatever serves the cluster, the Submitter gets the
/// same service-discovery entries, and it never waits for the cluster in Aspire.
/// </summary>
public sealed class SubmitterClusterTests
{
    private static readonly string FlinkKey = $"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0";
    private static readonly string JobKey = $"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0";
    private static readonly string ArtifactKey = $"services__{ResourceNames.JobServer}__{EndpointNames.ArtifactStaging}__0";

    private static string PoolKey(int index) => $"services__{ResourceNames.TaskManager(index)}__{EndpointNames.WorkerPool}__0";

    /// <summary>The container topology of the AppHost, from the library alone.</summary>
    private static IResourceBuilder<ProjectResource> AddContainerCluster(IDistributedApplicationBuilder builder)
    {
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink);
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, VersionSet.Default).WithFlinkMaster(jobManager);
        var taskManagers = builder.AddFlinkTaskManagers(Model.Flink, jobManager, t => t.WithBeamWorkerPool().WithArtifactsFrom(jobServer));
        return builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
            .WithFlinkRest(jobManager.Resource.RestEndpoint)
            .WithJobService(jobServer.Resource.JobEndpoint, jobServer.Resource.ArtifactEndpoint)
            .WithWorkerPools(taskManagers.Select(t => t.Resource.WorkerPoolEndpoint));
    }

    [Fact]
    public async Task Containers_arrive_as_the_host_addresses_of_their_endpoints_under_the_contract_names()
    {
        var builder = Model.RunMode();
        AddContainerCluster(builder);
        await using var app = builder.Build();
        var jobManager = app.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        var jobServer = app.Single<BeamJobServerResource>(ResourceNames.JobServer);

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));

        Assert.Equal($"http://localhost:{Model.AllocatedPort(jobManager, EndpointNames.FlinkRest)}", environment[FlinkKey]);
        Assert.Equal($"http://localhost:{Model.AllocatedPort(jobServer, EndpointNames.JobService)}", environment[JobKey]);
        Assert.Equal($"http://localhost:{Model.AllocatedPort(jobServer, EndpointNames.ArtifactStaging)}", environment[ArtifactKey]);
        foreach (var index in new[] { 1, 2 })
        {
            var taskManager = app.Single<FlinkTaskManagerResource>(ResourceNames.TaskManager(index));
            Assert.Equal($"tcp://localhost:{Model.AllocatedPort(taskManager, EndpointNames.WorkerPool)}", environment[PoolKey(index)]);
        }

        Assert.DoesNotContain(PoolKey(3), environment.Keys);
    }

    [Fact]
    public async Task In_publish_mode_the_entries_are_the_endpoints_expressions()
    {
        var builder = Model.PublishMode();
        AddContainerCluster(builder);
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));

        Assert.Equal("{flink-jobmanager.bindings.http.url}", environment[FlinkKey]);
        Assert.Equal("{beam-jobserver.bindings.job.url}", environment[JobKey]);
        Assert.Equal("{beam-jobserver.bindings.artifact.url}", environment[ArtifactKey]);
        Assert.Equal("{flink-taskmanager-2.bindings.workerpool.url}", environment[PoolKey(2)]);
    }

    [Fact]
    public async Task The_Submitter_references_every_part_of_the_cluster_but_waits_for_none()
    {
        var builder = Model.RunMode();
        var submitter = AddContainerCluster(builder);
        await using var app = builder.Build();

        Assert.Empty(Model.Waits(submitter.Resource));
        var referenced = submitter.Resource.Annotations.OfType<ResourceRelationshipAnnotation>()
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
        var flink = builder.AddExternalService("compose-flink", "http://flink.example:8081");
        var jobs = builder.AddExternalService("compose-jobs", "http://jobs.example:8099");
        var artifacts = builder.AddExternalService("compose-artifacts", "http://jobs.example:8098");
        var pool = builder.AddExternalService("compose-pool", "tcp://tm.example:50000");
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
            .WithFlinkRest(flink)
            .WithJobService(jobs, artifacts)
            .WithWorkerPools([pool]);
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));

        Assert.Equal("http://flink.example:8081/", environment[FlinkKey]);
        Assert.Equal("http://jobs.example:8099/", environment[JobKey]);
        Assert.Equal("http://jobs.example:8098/", environment[ArtifactKey]);
        Assert.Equal("tcp://tm.example:50000/", environment[PoolKey(1)]);
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("services__compose-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_external_service_given_by_a_parameter_arrives_as_the_parameters_value()
    {
        var builder = Model.RunMode();
        builder.Configuration["Parameters:flink-url"] = "http://flink.internal.example:8081";
        var flink = builder.AddExternalService("flink", builder.AddParameter("flink-url"));
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithFlinkRest(flink);
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));

        Assert.Equal("http://flink.internal.example:8081", environment[FlinkKey]);
    }
}
