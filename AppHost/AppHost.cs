using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Catalog;

var builder = DistributedApplication.CreateBuilder(args);

// One validated version set drives every image, build argument and pin; a bad combination stops here,
// before any container starts, with Cluster's message.
var settings = FlinkBeamSettings.Load(builder.Configuration);
var catalog = PipelineCatalog.Load(Path.Combine(builder.AppHostDirectory, "../pipelines/catalog.json"));
catalog.RequireAll(settings.AutoRun, $"{FlinkBeamSettings.SectionName}:AutoRun");

// `aspire publish` writes the same topology as a docker-compose file.
builder.AddDockerComposeEnvironment("compose");

// Flink JobManager: REST/UI and /overview health. It never waits for the TaskManagers (they wait for it).
var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, settings.Flink);

// Beam job server: Job API health, the shared artifacts volume, submits to the JobManager.
var jobServer = builder.AddBeamJobServer(ResourceNames.JobServer, settings.Versions)
    .WithFlinkMaster(jobManager);

// N TaskManagers, each with its Beam worker pool in the same container, the job server's artifacts
// at the same path, and the host's sample data and output folders.
var taskManagers = builder.AddFlinkTaskManagers(settings.Flink, jobManager, taskManager => taskManager
    .WithBeamWorkerPool()
    .WithArtifactsFrom(jobServer)
    .WithPipelineFolders("../pipelines/data", "../outputs"));

// The Submitter: launches catalogued pipelines once its readiness gate holds, follows every run.
builder.AddSubmitter(ResourceNames.Submitter)
    .WithCluster(jobManager, jobServer, taskManagers)
    .WithClusterSettings(settings)
    .WithPipelinesEnvironment("../pipelines", settings, catalog)
    .WithRunCommands(catalog);

builder.Build().Run();
