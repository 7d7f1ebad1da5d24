using FlinkBeam.AppHost;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;

// Which Python is on PATH (it makes the pipelines' venv) is asked first, in a process of its own: behind a pyenv shim the
// answer takes a few tenths of a second, which pass while the builder is made.
var python = new PythonOnPathProbe();
var builder = DistributedApplication.CreateBuilder(args);

// One validated version set drives every image, build argument and pin; a bad combination stops here, before any
// container starts. PythonVersion defaults to the Python on PATH, which makes the pipelines' venv.
var settings = builder.LoadFlinkBeamSettings(python);
var catalog = PipelineCatalog.Load(Path.Combine(builder.AppHostDirectory, "../pipelines/catalog.json"));
catalog.RequireAll(settings.AutoRun, $"{FlinkBeamSettings.SectionName}:AutoRun");

// `aspire publish` writes the same topology as a docker-compose file that builds its own images.
builder.AddDockerComposeEnvironment("compose").WithImageBuilds();

// The Submitter: launches catalogued pipelines once its readiness gate holds, follows every run. It does not wait for
// the cluster: its health is the gate, and says what it still waits for. It starts from the output this AppHost's build
// has just made, not by a second `dotnet run` of its project.
var submitter = builder.AddSubmitter<Projects.FlinkBeam_Submitter>(ResourceNames.Submitter, builder.LoadSubmitterPort())
    .WithBuildOutputLaunch(BuildOutputs.SubmitterAssembly)
    .WithClusterSettings(settings)
    .WithCatalog(catalog)
    .WithRunCommands(catalog)
    .WithDataDirectory("../.data/submitter")
    // The pipelines' Python venv (apache-beam pinned to the cluster's release), whose interpreter runs the clients.
    .WithPipelinesEnvironment("../pipelines", settings.Versions)
    // Published, the Submitter is its own image: the native Submitter, the pipelines and their Python (Submitter/Dockerfile).
    .PublishAsSubmitterImage(settings.Versions, "..");

if (ExistingClusterSettings.Load(builder.Configuration, settings.Flink.TaskManagers) is { } existing)
{
    // An existing cluster (the original docker-compose one, Flink on Kubernetes): no containers, the same Submitter.
    submitter.WithExistingCluster(builder.AddExistingCluster(existing));
}
else
{
    // Flink JobManager: REST/UI and /overview health. It never waits for the TaskManagers (they wait for it).
    var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, settings.Flink);

    // N TaskManagers, each with its Beam worker pool in the same container, its SDK workers writing as the host's user,
    // and the host's sample data and output folders.
    var taskManagers = builder.AddFlinkTaskManagers(settings.Flink, jobManager, taskManager => taskManager
        .WithBeamWorkerPool()
        .WithSdkHarness(settings.Environment)
        .WithPipelineFolders("../pipelines/data", "../outputs"));

    submitter
        .WithFlinkRest(jobManager.Resource.RestEndpoint)
        .WithWorkerPools(taskManagers.Select(taskManager => taskManager.Resource.WorkerPoolEndpoint));

    // Portable mode: a Beam job server translates pipelines for Flink; its artifacts volume is shared with every TaskManager
    // at the same path. FlinkRunner mode (Mode=Flink) has none: the client submits each pipeline to Flink REST in an uber jar.
    if (settings.Mode == RunnerMode.Portable)
    {
        var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, settings.Versions)
            .WithFlinkMaster(jobManager)
            .WithArtifactsSharedWith(taskManagers);
        submitter.WithJobService(jobServer.Resource.JobEndpoint, jobServer.Resource.ArtifactEndpoint);
    }
}

builder.Build().Run();
