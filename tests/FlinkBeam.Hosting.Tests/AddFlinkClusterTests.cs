using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>AddFlinkCluster</c>: the JobManager, the job server and the TaskManagers of a container cluster, as one value.</summary>
public sealed class AddFlinkClusterTests
{
    [Fact]
    public async Task It_adds_the_JobManager_the_job_server_and_each_TaskManager_with_its_worker_pool_and_the_artifacts()
    {
        var builder = Model.RunMode();
        var configured = new List<string>();
        builder.AddFlinkCluster(Model.Settings, taskManager => configured.Add(taskManager.Resource.Name));
        await using var app = builder.Build();

        var jobManager = app.Single<FlinkJobManagerResource>(ResourceNames.JobManager);
        var jobServer = app.Single<BeamJobServerResource>(ResourceNames.JobServer);
        Assert.Contains(Model.Waits(jobServer), w => w.Resource == jobManager);
        Assert.Equal([ResourceNames.TaskManager(1), ResourceNames.TaskManager(2)], configured);
        foreach (var name in configured)
        {
            var taskManager = app.Single<FlinkTaskManagerResource>(name);
            Assert.Equal(EndpointNames.WorkerPool, Model.Endpoint(taskManager, EndpointNames.WorkerPool).Name);
            Assert.Equal(ContainerMountType.Volume, Model.Mount(taskManager, ContainerPaths.Artifacts).Type);
            Assert.Contains(Model.Waits(taskManager), w => w.Resource == jobManager);
        }
    }

    [Fact]
    public async Task The_configuration_given_for_each_TaskManager_is_applied_too()
    {
        var builder = Model.RunMode();
        builder.AddFlinkCluster(Model.Settings, taskManager => taskManager.WithPipelineFolders("../pipelines/data", "../outputs"));
        await using var app = builder.Build();

        var taskManager = app.Single<FlinkTaskManagerResource>(ResourceNames.TaskManager(2));
        Assert.Equal(
            [ContainerPaths.Artifacts, ContainerPaths.Checkpoints, ContainerPaths.Data, ContainerPaths.Outputs],
            taskManager.Annotations.OfType<ContainerMountAnnotation>().Select(m => m.Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task In_FlinkRunner_mode_there_is_no_job_server_and_no_artifacts_volume()
    {
        var builder = Model.RunMode();
        var cluster = builder.AddFlinkCluster(Model.Settings with { Mode = RunnerMode.Flink });
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithCluster(cluster);
        await using var app = builder.Build();

        Assert.DoesNotContain(builder.Resources, r => r.Name == ResourceNames.JobServer);
        var taskManager = app.Single<FlinkTaskManagerResource>(ResourceNames.TaskManager(1));
        Assert.DoesNotContain(taskManager.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == ContainerPaths.Artifacts);
        var environment = await Model.EnvironmentAsync(app, app.Single<SubmitterResource>(ResourceNames.Submitter));
        Assert.DoesNotContain(ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.JobService), environment.Keys);
        Assert.Contains(ServiceAddresses.EnvironmentVariable(ResourceNames.JobManager, EndpointNames.FlinkRest), environment.Keys);
    }
}
