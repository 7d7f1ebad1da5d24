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
    private static readonly IResourceBuilder<ProjectResource> Submitter = App.AddSubmitter<SubmitterProject>("sub");
    private static readonly IResourceBuilder<ExternalServiceResource> External = App.AddExternalService("ext", "http://localhost:8081");
    private static readonly PipelineCatalog Catalog = PipelineCatalog.Load(RepositoryPaths.Catalog);
    private static readonly ExistingClusterSettings Existing = new(new Uri("http://localhost:8081"), new Uri("http://localhost:8099"), []);

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
        { "WithClusterSettings(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithClusterSettings(settings)", "settings", typeof(ArgumentNullException) },
        { "WithCatalog(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithCatalog(catalog)", "catalog", typeof(ArgumentNullException) },
        { "WithDataDirectory(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithDataDirectory(dataDirectory)", "dataDirectory", typeof(ArgumentException) },
        { "WithPythonInterpreter(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithPythonInterpreter(interpreter)", "interpreter", typeof(ArgumentNullException) },
        { "WithRunCommands(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithRunCommands(catalog)", "catalog", typeof(ArgumentNullException) },
        { "RunCommand(pipeline)", "pipeline", typeof(ArgumentException) },
        { "LoadFlinkBeamSettings(probe: builder)", "builder", typeof(ArgumentNullException) },
        { "LoadFlinkBeamSettings(python)", "python", typeof(ArgumentNullException) },
        { "WithBuildOutputLaunch(project)", "project", typeof(ArgumentNullException) },
        { "WithBuildOutputLaunch(assemblyPath)", "assemblyPath", typeof(ArgumentException) },
        { "IsUnfinished(path null)", "path", typeof(ArgumentNullException) },
        { "IsUnfinished(path empty)", "path", typeof(ArgumentException) },
        { "RemoveIfUnfinished(path empty)", "path", typeof(ArgumentException) },
        { "WithFlinkRest(endpoint: submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithFlinkRest(endpoint)", "flinkRest", typeof(ArgumentNullException) },
        { "WithFlinkRest(service: submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithFlinkRest(service)", "flinkRest", typeof(ArgumentNullException) },
        { "WithJobService(endpoint: submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithJobService(endpoint)", "jobService", typeof(ArgumentNullException) },
        { "WithJobService(service: submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithJobService(service)", "jobService", typeof(ArgumentNullException) },
        { "WithWorkerPools(endpoints: submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithWorkerPools(endpoints)", "workerPools", typeof(ArgumentNullException) },
        { "WithWorkerPools(endpoints: a null one)", "workerPools", typeof(ArgumentNullException) },
        { "WithWorkerPools(services: submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithWorkerPools(services)", "workerPools", typeof(ArgumentNullException) },
        { "WithFlinkRestHealthCheck(flinkRest)", "flinkRest", typeof(ArgumentNullException) },
        { "WithJobApiHealthCheck(jobService)", "jobService", typeof(ArgumentNullException) },
        { "WithWorkerPoolHealthCheck(workerPool)", "workerPool", typeof(ArgumentNullException) },
        { "AddExistingCluster(builder)", "builder", typeof(ArgumentNullException) },
        { "AddExistingCluster(settings)", "settings", typeof(ArgumentNullException) },
        { "WithExistingCluster(submitter)", "submitter", typeof(ArgumentNullException) },
        { "WithExistingCluster(cluster)", "cluster", typeof(ArgumentNullException) },
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
        ["PublishAsSubmitterImage(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).PublishAsSubmitterImage(VersionSet.Default, ".."),
        ["PublishAsSubmitterImage(versions)"] = () => Submitter.PublishAsSubmitterImage(null!, ".."),
        ["PublishAsSubmitterImage(repositoryRoot)"] = () => Submitter.PublishAsSubmitterImage(VersionSet.Default, ""),
        ["ArtifactsVolumeName(jobServer)"] = () => BeamBuilderExtensions.ArtifactsVolumeName(null!),
        ["AddSubmitter(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddSubmitter<SubmitterProject>("s"),
        ["AddSubmitter(name empty)"] = () => App.AddSubmitter<SubmitterProject>(Empty),
        ["WithClusterSettings(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithClusterSettings(Model.Settings),
        ["WithClusterSettings(settings)"] = () => Submitter.WithClusterSettings(null!),
        ["WithCatalog(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithCatalog(Catalog),
        ["WithCatalog(catalog)"] = () => Submitter.WithCatalog(null!),
        ["WithDataDirectory(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithDataDirectory("d"),
        ["WithDataDirectory(dataDirectory)"] = () => Submitter.WithDataDirectory(""),
        ["WithPythonInterpreter(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithPythonInterpreter(() => "p"),
        ["WithPythonInterpreter(interpreter)"] = () => Submitter.WithPythonInterpreter(null!),
        ["WithRunCommands(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithRunCommands(Catalog),
        ["WithRunCommands(catalog)"] = () => Submitter.WithRunCommands(null!),
        ["RunCommand(pipeline)"] = () => SubmitterBuilderExtensions.RunCommand(""),
        ["LoadFlinkBeamSettings(probe: builder)"] = () => ((IDistributedApplicationBuilder)null!).LoadFlinkBeamSettings(new PythonOnPathProbe([])),
        ["LoadFlinkBeamSettings(python)"] = () => App.LoadFlinkBeamSettings((PythonOnPathProbe)null!),
        ["WithBuildOutputLaunch(project)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithBuildOutputLaunch("Submitter.dll"),
        ["WithBuildOutputLaunch(assemblyPath)"] = () => Submitter.WithBuildOutputLaunch(""),
        ["IsUnfinished(path null)"] = () => VirtualEnvironmentFolder.IsUnfinished(null!),
        ["IsUnfinished(path empty)"] = () => VirtualEnvironmentFolder.IsUnfinished(Empty),
        ["RemoveIfUnfinished(path empty)"] = () => VirtualEnvironmentFolder.RemoveIfUnfinished(Empty),
        ["WithFlinkRest(endpoint: submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithFlinkRest(JobManager.Resource.RestEndpoint),
        ["WithFlinkRest(endpoint)"] = () => Submitter.WithFlinkRest((EndpointReference)null!),
        ["WithFlinkRest(service: submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithFlinkRest(External),
        ["WithFlinkRest(service)"] = () => Submitter.WithFlinkRest((IResourceBuilder<ExternalServiceResource>)null!),
        ["WithJobService(endpoint: submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithJobService(JobServer.Resource.JobEndpoint),
        ["WithJobService(endpoint)"] = () => Submitter.WithJobService((EndpointReference)null!),
        ["WithJobService(service: submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithJobService(External),
        ["WithJobService(service)"] = () => Submitter.WithJobService((IResourceBuilder<ExternalServiceResource>)null!),
        ["WithWorkerPools(endpoints: submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithWorkerPools([TaskManager.Resource.WorkerPoolEndpoint]),
        ["WithWorkerPools(endpoints)"] = () => Submitter.WithWorkerPools((IEnumerable<EndpointReference>)null!),
        ["WithWorkerPools(endpoints: a null one)"] = () => Submitter.WithWorkerPools(new EndpointReference[] { null! }),
        ["WithWorkerPools(services: submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithWorkerPools([External]),
        ["WithWorkerPools(services)"] = () => Submitter.WithWorkerPools((IEnumerable<IResourceBuilder<ExternalServiceResource>>)null!),
        ["WithFlinkRestHealthCheck(flinkRest)"] = () => ((IResourceBuilder<ExternalServiceResource>)null!).WithFlinkRestHealthCheck(),
        ["WithJobApiHealthCheck(jobService)"] = () => ((IResourceBuilder<ExternalServiceResource>)null!).WithJobApiHealthCheck(),
        ["WithWorkerPoolHealthCheck(workerPool)"] = () => ((IResourceBuilder<ExternalServiceResource>)null!).WithWorkerPoolHealthCheck(),
        ["AddExistingCluster(builder)"] = () => ((IDistributedApplicationBuilder)null!).AddExistingCluster(Existing),
        ["AddExistingCluster(settings)"] = () => App.AddExistingCluster(null!),
        ["WithExistingCluster(submitter)"] = () => ((IResourceBuilder<ProjectResource>)null!).WithExistingCluster(null!),
        ["WithExistingCluster(cluster)"] = () => Submitter.WithExistingCluster(null!),
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
