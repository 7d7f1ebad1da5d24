using FlinkBeam.AppHost;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;

// Which Python is on PATH (it makes the pipelines' venv) is asked first, in a process of its own: behind a pyenv shim the
// answer takes a few tenths of a second, which pass while the builder is made.
var python = new PythonOnPathProbe();
var builder = DistributedApplication.CreateBuilder(args);

// A setting the cluster cannot run with (a version mismatch, a bad address, a catalog or folder that is not there) stops
// the AppHost here, before anything starts: one sentence naming the setting and its value, exit code 2.
if (StartupErrors.Report(() => AddFlinkBeam(builder, python), Console.Error) is { } failed)
{
    return failed;
}

builder.Build().Run();
return 0;

// The whole application: the cluster (containers, or one that exists), the Submitter and a dashboard row per pipeline.
static void AddFlinkBeam(IDistributedApplicationBuilder builder, PythonOnPathProbe python)
{
    // One validated version set drives every image, build argument and pin; a bad combination stops here, before any
    // container starts. PythonVersion defaults to the Python on PATH, which makes the pipelines' venv.
    var settings = builder.LoadFlinkBeamSettings(python);
    // The pipelines (../pipelines: catalog.json, requirements.txt, data/), the Python that runs them, their runs' history.
    var pipelines = PipelinesSettings.Load(builder.Configuration, builder.AppHostDirectory);
    var catalog = PipelineCatalog.Load(pipelines.Catalog);
    catalog.RequireAll(settings.AutoRun, $"{FlinkBeamSettings.SectionName}:AutoRun");

    // `aspire publish` writes the same topology as a docker-compose file that builds its own images.
    builder.AddDockerComposeEnvironment("compose").WithImageBuilds();

    // The cluster, one value whoever runs it: an existing one named in configuration (the original docker-compose one,
    // Flink on Kubernetes), or containers: the JobManager, N TaskManagers, each with its Beam worker pool in the same
    // container, its SDK workers writing as the host's user, and the host's data and output folders, and (Portable
    // mode) the Beam job server, its artifacts at the same path in every TaskManager.
    var existing = ExistingClusterSettings.Load(builder.Configuration, settings.Flink.TaskManagers, settings.Mode);
    var cluster = existing is not null
        ? builder.AddExistingCluster(existing)
        : builder.AddFlinkCluster(settings, taskManager => taskManager.WithPipelineFolders(pipelines.Data, "../outputs"));

    // The Submitter: launches catalogued pipelines once its readiness gate holds, follows every run. It does not wait
    // for the cluster: its health is the gate, and says what it still waits for. It starts from the output this
    // AppHost's build has just made, not by a second `dotnet run` of its project.
    builder.AddSubmitter<Projects.FlinkBeam_Submitter>(ResourceNames.Submitter, builder.LoadSubmitterPort())
        .WithBuildOutputLaunch(BuildOutputs.SubmitterAssembly)
        .WithClusterSettings(settings)
        .WithCluster(cluster)
        .WithDataDirectory(pipelines.DataDirectory)
        // The pipelines' Python venv (apache-beam pinned to the cluster's release), whose interpreter runs the clients.
        .WithPipelinesEnvironment(pipelines, settings.Versions)
        // A dashboard row per pipeline beneath the Submitter, with Run and Cancel. After every other resource, so a
        // pipeline named like one of them is caught.
        .WithPipelines(catalog)
        // Published, the Submitter is its own image (Submitter/Dockerfile): the native Submitter, the pipelines and
        // their Python. Last: the paths inside that image replace the host's.
        .PublishAsSubmitterImage(settings.Versions, "..");
}
