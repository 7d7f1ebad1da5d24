using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Hosting.Tests;

/// <summary>Every public method of the library rejects a null builder and null or empty arguments, naming the parameter.</summary>
public sealed class HostingPublicApiTests
{
    // Not a literal: the resource-name analyzer would refuse the empty name at compile time.
    private static readonly string Empty = string.Empty;
    private static readonly IDistributedApplicationBuilder App = DistributedApplication.CreateBuilder();
    private static readonly IResourceBuilder<FlinkJobManagerResource> JobManager = App.AddFlinkJobManager("jm", Model.Flink);
    private static readonly IResourceBuilder<BeamJobServerResource> JobServer = App.AddBeamJobServer("js", VersionSet.Default);
    private static readonly IResourceBuilder<FlinkTaskManagerResource> TaskManager = App.AddFlinkTaskManager("tm", Model.Flink, JobManager);
    private static readonly IResourceBuilder<SubmitterResource> Submitter = App.AddSubmitter<SubmitterProject>("sub");
    private static readonly IResourceBuilder<ExternalServiceResource> External = App.AddExternalService("ext", "http://localhost:8081");
    private static readonly PipelineCatalog Catalog = PipelineCatalog.Load(RepositoryPaths.Catalog);
    private static readonly ExistingClusterSettings Existing = new(new Uri("http://localhost:8081"), new Uri("http://localhost:8099"), []);
    private static readonly FlinkBeamCluster Cluster = FlinkBeamCluster.FromExternalServices(External, External, []);

    /// <summary>Each call passes exactly one null (or empty) argument, the one named.</summary>
    public static TheoryData<string, string, Type> Calls() => new()
    {
        { "AddFlinkJobManager(builder)", "builder", typeof(ArgumentNullException) },
        { "AddFlinkJobManager(name null)", "name", typeof(ArgumentNullException) },
        { "AddFlinkJobManager(name empty)", "name", typeof(ArgumentException) },
        { "AddFlinkJobManager(settings)", "settings", typeof(ArgumentNullException) },
        { "AddFlinkTaskManagers(builder)", "builder", typeof(ArgumentNullException) },
        { "AddFlinkTaskManagers(settings)", "settings", typeof(ArgumentNullException) },
        { "AddFlinkTaskManagers(jobManager)", "jobManager", typeof(ArgumentNullException) },
        { "AddFlinkTaskManager(builder)", "builder", typeof(ArgumentNullException) },
        { "AddFlinkTaskManager(name empty)", "name", typeof(ArgumentException) },
        { "AddFlinkTaskManager(settings)", "settings", typeof(ArgumentNullException) },
        { "AddFlinkTaskManager(jobManager)", "jobManager", typeof(ArgumentNullException) },
        { "WithPipelineFolders(taskManager)", "taskManager", typeof(ArgumentNullException) },
        { "WithPipelineFolders(dataDirectory)", "dataDirectory", typeof(ArgumentException) },
        { "WithPipelineFolders(outputDirectory)", "outputDirectory", typeof(ArgumentNullException) },
        { "CheckpointsVolumeName(jobManager)", "jobManager", typeof(ArgumentNullException) },
        { "AddBeamJobServer(builder)", "builder", typeof(ArgumentNullException) },
        { "AddBeamJobServer(name empty)", "name", typeof(ArgumentException) },
        { "AddBeamJobServer(versions)", "versions", typeof(ArgumentNullException) },
        { "WithFlinkMaster(jobServer)", "jobServer", typeof(ArgumentNullException) },
        { "WithFlinkMaster(jobManager)", "jobManager", typeof(ArgumentNullException) },
        { "WithBeamWorkerPool(taskManager)", "taskManager", typeof(ArgumentNullException) },
        { "WithSdkHarness(taskManager)", "taskManager", typeof(ArgumentNullException) },
        { "WithSdkHarness(environment)", "environment", typeof(ArgumentOutOfRangeException) },
        { "WithArtifactsFrom(taskManager)", "taskManager", typeof(ArgumentNullException) },
        { "WithArtifactsFrom(jobServer)", "jobServer", typeof(ArgumentNullException) },
        { "WithArtifactsSharedWith(jobServer)", "jobServer", typeof(ArgumentNullException) },
        { "WithArtifactsSharedWith(taskManagers)", "taskManagers", typeof(ArgumentNullException) },
        { "WithArtifactsSharedWith(taskManagers: a null one)", "taskManagers", typeof(ArgumentNullException) },
        { "PublishAsSubmitterImage(submitter)", "submitter", typeof(ArgumentNullException) },
        { "PublishAsSubmitterImage(versions)", "versions", typeof(ArgumentNullException) },
        { "PublishAsSubmitterImage(repositoryRoot)", "repositoryRoot", typeof(ArgumentException) },
        { "ArtifactsVolumeName(jobServer)", "jobServer", typeof(ArgumentNullException) },
        { "AddSubmitter(builder)", "builder", typeof(ArgumentNullException) },
        { "AddSubmitter(name empty)", "name", typeof(ArgumentException) },
        { "new SubmitterResource(apiKey)", "apiKey", typeof(ArgumentNullException) },
        { "WithClusterSettings(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithClusterSettings(settings)", "settings", typeof(ArgumentNullException) },
        { "WithDataDirectory(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithDataDirectory(dataDirectory)", "dataDirectory", typeof(ArgumentException) },
        { "WithPythonInterpreter(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithPythonInterpreter(interpreter)", "interpreter", typeof(ArgumentNullException) },
        { "WithPipelines(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithPipelines(catalog)", "catalog", typeof(ArgumentNullException) },
        { "new PipelineResource(pipeline)", "pipeline", typeof(ArgumentException) },
        { "new PipelineResource(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithCluster(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithCluster(cluster)", "cluster", typeof(ArgumentNullException) },
        { "AddFlinkCluster(builder)", "builder", typeof(ArgumentNullException) },
        { "AddFlinkCluster(settings)", "settings", typeof(ArgumentNullException) },
        { "FlinkBeamCluster.FromContainers(jobManager)", "jobManager", typeof(ArgumentNullException) },
        { "FlinkBeamCluster.FromContainers(taskManagers)", "taskManagers", typeof(ArgumentNullException) },
        { "FlinkBeamCluster.FromContainers(taskManagers: a null one)", "taskManagers", typeof(ArgumentNullException) },
        { "FlinkBeamCluster.FromExternalServices(flinkRest)", "flinkRest", typeof(ArgumentNullException) },
        { "FlinkBeamCluster.FromExternalServices(workerPools)", "workerPools", typeof(ArgumentNullException) },
        { "FlinkBeamCluster.FromExternalServices(workerPools: a null one)", "workerPools", typeof(ArgumentNullException) },
        { "LoadFlinkBeamSettings(probe: builder)", "builder", typeof(ArgumentNullException) },
        { "LoadFlinkBeamSettings(python)", "python", typeof(ArgumentNullException) },
        { "WithBuildOutputLaunch(project)", "project", typeof(ArgumentNullException) },
        { "WithBuildOutputLaunch(assemblyPath)", "assemblyPath", typeof(ArgumentException) },
        { "IsUnfinished(path null)", "path", typeof(ArgumentNullException) },
        { "IsUnfinished(path empty)", "path", typeof(ArgumentException) },
        { "RemoveIfUnfinished(path empty)", "path", typeof(ArgumentException) },
        { "WithFlinkRestHealthCheck(flinkRest)", "flinkRest", typeof(ArgumentNullException) },
        { "WithJobApiHealthCheck(jobService)", "jobService", typeof(ArgumentNullException) },
        { "WithWorkerPoolHealthCheck(workerPool)", "workerPool", typeof(ArgumentNullException) },
        { "AddExistingCluster(builder)", "builder", typeof(ArgumentNullException) },
        { "AddExistingCluster(settings)", "settings", typeof(ArgumentNullException) },
        { "ExistingClusterSettings.Load(configuration)", "configuration", typeof(ArgumentNullException) },
        { "LoadFlinkBeamSettings(builder)", "builder", typeof(ArgumentNullException) },
        { "LoadSubmitterPort(builder)", "builder", typeof(ArgumentNullException) },
    };

    private static readonly Dictionary<string, Action> Actions = new()
    {
        ["AddFlinkJobManager(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddFlinkJobManager("jm", Model.Flink),
        ["AddFlinkJobManager(name null)"] = () => App.AddFlinkJobManager(null!, Model.Flink),
        ["AddFlinkJobManager(name empty)"] = () => App.AddFlinkJobManager(Empty, Model.Flink),
        ["AddFlinkJobManager(settings)"] = () => App.AddFlinkJobManager("x", null!),
        ["AddFlinkTaskManagers(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddFlinkTaskManagers(Model.Flink, JobManager),
        ["AddFlinkTaskManagers(settings)"] = () => App.AddFlinkTaskManagers(null!, JobManager),
        ["AddFlinkTaskManagers(jobManager)"] = () => App.AddFlinkTaskManagers(Model.Flink, null!),
        ["AddFlinkTaskManager(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddFlinkTaskManager("tm", Model.Flink, JobManager),
        ["AddFlinkTaskManager(name empty)"] = () => App.AddFlinkTaskManager(Empty, Model.Flink, JobManager),
        ["AddFlinkTaskManager(settings)"] = () => App.AddFlinkTaskManager("x", null!, JobManager),
        ["AddFlinkTaskManager(jobManager)"] = () => App.AddFlinkTaskManager("x", Model.Flink, null!),
        ["WithPipelineFolders(taskManager)"] = () => ((IResourceBuilder<FlinkTaskManagerResource>)null!).WithPipelineFolders("d", "o"),
        ["WithPipelineFolders(dataDirectory)"] = () => TaskManager.WithPipelineFolders("", "o"),
        ["WithPipelineFolders(outputDirectory)"] = () => TaskManager.WithPipelineFolders("d", null!),
        ["CheckpointsVolumeName(jobManager)"] = () => FlinkBuilderExtensions.CheckpointsVolumeName(null!),
        ["AddBeamJobServer(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddBeamJobServer("js", VersionSet.Default),
        ["AddBeamJobServer(name empty)"] = () => App.AddBeamJobServer(Empty, VersionSet.Default),
        ["AddBeamJobServer(versions)"] = () => App.AddBeamJobServer("x", null!),
        ["WithFlinkMaster(jobServer)"] = () => ((IResourceBuilder<BeamJobServerResource>)null!).WithFlinkMaster(JobManager),
        ["WithFlinkMaster(jobManager)"] = () => JobServer.WithFlinkMaster(null!),
        ["WithBeamWorkerPool(taskManager)"] = () => ((IResourceBuilder<FlinkTaskManagerResource>)null!).WithBeamWorkerPool(),
        ["WithSdkHarness(taskManager)"] = () => ((IResourceBuilder<FlinkTaskManagerResource>)null!).WithSdkHarness(SdkEnvironment.External),
        ["WithSdkHarness(environment)"] = () => TaskManager.WithSdkHarness((SdkEnvironment)7),
        ["WithArtifactsFrom(taskManager)"] = () => ((IResourceBuilder<FlinkTaskManagerResource>)null!).WithArtifactsFrom(JobServer),
        ["WithArtifactsFrom(jobServer)"] = () => TaskManager.WithArtifactsFrom(null!),
        ["WithArtifactsSharedWith(jobServer)"] = () => ((IResourceBuilder<BeamJobServerResource>)null!).WithArtifactsSharedWith([TaskManager]),
        ["WithArtifactsSharedWith(taskManagers)"] = () => JobServer.WithArtifactsSharedWith(null!),
        ["WithArtifactsSharedWith(taskManagers: a null one)"] = () => JobServer.WithArtifactsSharedWith([null!]),
        ["PublishAsSubmitterImage(submitter)"] = () => ((IResourceBuilder<SubmitterResource>)null!).PublishAsSubmitterImage(VersionSet.Default, ".."),
        ["PublishAsSubmitterImage(versions)"] = () => Submitter.PublishAsSubmitterImage(null!, ".."),
        ["PublishAsSubmitterImage(repositoryRoot)"] = () => Submitter.PublishAsSubmitterImage(VersionSet.Default, ""),
        ["ArtifactsVolumeName(jobServer)"] = () => BeamBuilderExtensions.ArtifactsVolumeName(null!),
        ["AddSubmitter(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddSubmitter<SubmitterProject>("s"),
        ["AddSubmitter(name empty)"] = () => App.AddSubmitter<SubmitterProject>(Empty),
        ["new SubmitterResource(apiKey)"] = () => _ = new SubmitterResource("s", null!),
        ["WithClusterSettings(submitter)"] = () => ((IResourceBuilder<SubmitterResource>)null!).WithClusterSettings(Model.Settings),
        ["WithClusterSettings(settings)"] = () => Submitter.WithClusterSettings(null!),
        ["WithDataDirectory(submitter)"] = () => ((IResourceBuilder<SubmitterResource>)null!).WithDataDirectory("d"),
        ["WithDataDirectory(dataDirectory)"] = () => Submitter.WithDataDirectory(""),
        ["WithPythonInterpreter(submitter)"] = () => ((IResourceBuilder<SubmitterResource>)null!).WithPythonInterpreter(() => "p"),
        ["WithPythonInterpreter(interpreter)"] = () => Submitter.WithPythonInterpreter(null!),
        ["WithPipelines(submitter)"] = () => ((IResourceBuilder<SubmitterResource>)null!).WithPipelines(Catalog),
        ["WithPipelines(catalog)"] = () => Submitter.WithPipelines(null!),
        ["new PipelineResource(pipeline)"] = () => _ = new PipelineResource("p", "", Submitter.Resource),
        ["new PipelineResource(submitter)"] = () => _ = new PipelineResource("p", "p", null!),
        ["WithCluster(submitter)"] = () => ((IResourceBuilder<SubmitterResource>)null!).WithCluster(Cluster),
        ["WithCluster(cluster)"] = () => Submitter.WithCluster(null!),
        ["AddFlinkCluster(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddFlinkCluster(Model.Settings),
        ["AddFlinkCluster(settings)"] = () => App.AddFlinkCluster(null!),
        ["FlinkBeamCluster.FromContainers(jobManager)"] = () => FlinkBeamCluster.FromContainers(null!, JobServer, [TaskManager]),
        ["FlinkBeamCluster.FromContainers(taskManagers)"] = () => FlinkBeamCluster.FromContainers(JobManager, JobServer, null!),
        ["FlinkBeamCluster.FromContainers(taskManagers: a null one)"] = () => FlinkBeamCluster.FromContainers(JobManager, JobServer, [null!]),
        ["FlinkBeamCluster.FromExternalServices(flinkRest)"] = () => FlinkBeamCluster.FromExternalServices(null!, External, []),
        ["FlinkBeamCluster.FromExternalServices(workerPools)"] = () => FlinkBeamCluster.FromExternalServices(External, External, null!),
        ["FlinkBeamCluster.FromExternalServices(workerPools: a null one)"] = () => FlinkBeamCluster.FromExternalServices(External, External, [null!]),
        ["LoadFlinkBeamSettings(probe: builder)"] = () => ((IDistributedApplicationBuilder)null!).LoadFlinkBeamSettings(new PythonOnPathProbe([])),
        ["LoadFlinkBeamSettings(python)"] = () => App.LoadFlinkBeamSettings((PythonOnPathProbe)null!),
        ["WithBuildOutputLaunch(project)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithBuildOutputLaunch("Submitter.dll"),
        ["WithBuildOutputLaunch(assemblyPath)"] = () => Submitter.WithBuildOutputLaunch(""),
        ["IsUnfinished(path null)"] = () => VirtualEnvironmentFolder.IsUnfinished(null!),
        ["IsUnfinished(path empty)"] = () => VirtualEnvironmentFolder.IsUnfinished(Empty),
        ["RemoveIfUnfinished(path empty)"] = () => VirtualEnvironmentFolder.RemoveIfUnfinished(Empty),
        ["WithFlinkRestHealthCheck(flinkRest)"] = () => ((IResourceBuilder<ExternalServiceResource>)null!).WithFlinkRestHealthCheck(),
        ["WithJobApiHealthCheck(jobService)"] = () => ((IResourceBuilder<ExternalServiceResource>)null!).WithJobApiHealthCheck(),
        ["WithWorkerPoolHealthCheck(workerPool)"] = () => ((IResourceBuilder<ExternalServiceResource>)null!).WithWorkerPoolHealthCheck(),
        ["AddExistingCluster(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddExistingCluster(Existing),
        ["AddExistingCluster(settings)"] = () => App.AddExistingCluster(null!),
        ["ExistingClusterSettings.Load(configuration)"] = () => ExistingClusterSettings.Load((IConfiguration)null!, 1),
        ["LoadFlinkBeamSettings(builder)"] = () => ((IDistributedApplicationBuilder)null!).LoadFlinkBeamSettings(),
        ["LoadSubmitterPort(builder)"] = () => ((IDistributedApplicationBuilder)null!).LoadSubmitterPort(),
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void A_missing_argument_is_refused_by_name(string call, string parameter, Type exception)
    {
        var error = Assert.Throws(exception, Actions[call]);

        Assert.Equal(parameter, ((ArgumentException)error).ParamName);
    }

    [Fact]
    public void Every_public_method_of_the_library_is_covered()
    {
        var methods = typeof(SubmitterBuilderExtensions).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName)
            .Select(m => m.Name)
            .Distinct()
            .Order(StringComparer.Ordinal);
        var covered = Actions.Keys.Select(k => k.Split('(')[0].Split('.')[^1]).ToHashSet(StringComparer.Ordinal);

        var uncovered = methods.Where(m => !covered.Contains(m)).ToList();
        Assert.True(uncovered.Count == 0, "Not covered: " + string.Join(", ", uncovered));
    }
}
