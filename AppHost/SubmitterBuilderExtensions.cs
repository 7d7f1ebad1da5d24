using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Catalog;

namespace Aspire.Hosting;

/// <summary>Wires the Submitter project to the cluster, its settings, the pipelines and the dashboard.</summary>
public static class SubmitterBuilderExtensions
{
    private const string Section = "Submitter__";

    /// <summary>
    /// Adds the Submitter project with the HTTP endpoint its API, <c>/health</c> and the dashboard commands use. The
    /// AppHost owns that endpoint instead of a launch profile: Aspire hands its address to the Submitter as
    /// <c>ASPNETCORE_URLS</c> under <c>dotnet run</c> and as <c>HTTP_PORTS</c> in a published compose file.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    public static IResourceBuilder<ProjectResource> AddSubmitter(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        return builder.AddProject<Projects.FlinkBeam_Submitter>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: EndpointNames.SubmitterHttp)
            .WithHttpHealthCheck("/health");
    }

    /// <summary>
    /// References the JobManager's REST endpoint, the job server's job and artifact endpoints and every worker pool
    /// (as <c>services__{resource}__{endpoint}__0</c>), and waits for each of them to be healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCluster(
        this IResourceBuilder<ProjectResource> submitter,
        IResourceBuilder<FlinkJobManagerResource> jobManager,
        IResourceBuilder<BeamJobServerResource> jobServer,
        IReadOnlyList<IResourceBuilder<FlinkTaskManagerResource>> taskManagers)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(jobManager);
        ArgumentNullException.ThrowIfNull(jobServer);
        ArgumentNullException.ThrowIfNull(taskManagers);

        submitter
            .WithReference(jobManager.Resource.RestEndpoint)
            .WaitFor(jobManager)
            .WithReference(jobServer.Resource.JobEndpoint)
            .WithReference(jobServer.Resource.ArtifactEndpoint)
            .WaitFor(jobServer);

        foreach (var taskManager in taskManagers)
        {
            submitter
                .WithReference(taskManager.Resource.WorkerPoolEndpoint)
                .WaitFor(taskManager);
        }

        return submitter;
    }

    /// <summary>Passes the versions, the TaskManager count, the SDK environment and the runner mode as <c>Submitter__*</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithClusterSettings(
        this IResourceBuilder<ProjectResource> submitter, FlinkBeamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(settings);

        return submitter
            .WithEnvironment(Section + "Mode", nameof(RunnerMode.Portable))
            .WithEnvironment(Section + "BeamVersion", settings.Versions.Beam.ToString())
            .WithEnvironment(Section + "FlinkVersion", settings.Versions.Flink.ToString())
            .WithEnvironment(Section + "PythonVersion", settings.Versions.Python.ToString())
            .WithEnvironment(Section + "TaskManagers", settings.Flink.TaskManagers.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(Section + "Environment", settings.Environment.ToString());
    }

    /// <summary>
    /// Under <c>dotnet run</c>: adds the pipelines' Python environment, waits for its check to complete, and passes
    /// its interpreter, the catalog, the run-history folder and <c>AutoRun</c>. A published Submitter gets none of
    /// these: its container has no pipelines venv (see the README's publishing section).
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="pipelinesDirectory">The pipelines folder, relative to the AppHost directory.</param>
    /// <param name="settings">The validated settings.</param>
    /// <param name="catalog">The catalog in <paramref name="pipelinesDirectory"/>.</param>
    public static IResourceBuilder<ProjectResource> WithPipelinesEnvironment(
        this IResourceBuilder<ProjectResource> submitter, string pipelinesDirectory, FlinkBeamSettings settings, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentException.ThrowIfNullOrEmpty(pipelinesDirectory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);

        var app = submitter.ApplicationBuilder;
        if (!app.ExecutionContext.IsRunMode)
        {
            return submitter;
        }

        var pipelines = app.AddPipelinesEnvironment(ResourceNames.Pipelines, pipelinesDirectory, settings.Versions);
        var history = Path.GetFullPath(Path.Combine("..", ".data", ResourceNames.Submitter), app.AppHostDirectory);

        submitter
            .WaitForCompletion(pipelines)
            .WithEnvironment(Section + "CatalogPath", catalog.CatalogPath)
            .WithEnvironment(Section + "DataDirectory", history)
            // Read when the environment is built: the venv's interpreter is the resource's final command.
            .WithEnvironment(context => { context.EnvironmentVariables[Section + "PythonPath"] = pipelines.Resource.Command; });

        for (var i = 0; i < settings.AutoRun.Count; i++)
        {
            submitter.WithEnvironment(string.Create(CultureInfo.InvariantCulture, $"{Section}AutoRun__{i}"), settings.AutoRun[i]);
        }

        return submitter;
    }

    /// <summary>
    /// Adds the dashboard commands "Run &lt;pipeline&gt;" (one per catalog entry, <c>POST /runs</c>) and "Cancel active
    /// runs" (<c>POST /runs/cancel-active</c>), which call the Submitter's HTTP API.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRunCommands(
        this IResourceBuilder<ProjectResource> submitter, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(catalog);

        foreach (var pipeline in catalog.Names)
        {
            // One options instance per command: PrepareRequest captures its own pipeline.
            var options = new HttpCommandOptions
            {
                Description = $"Runs the '{pipeline}' pipeline now (POST /runs).",
                IconName = "Play",
                PrepareRequest = context =>
                {
                    context.Request.Content = JsonContent.Create(new { pipeline, args = Array.Empty<string>() });
                    return Task.CompletedTask;
                },
            };
            submitter.WithHttpCommand(
                "/runs",
                "Run " + pipeline,
                endpointName: EndpointNames.SubmitterHttp,
                commandName: "run-" + pipeline,
                commandOptions: options);
        }

        return submitter.WithHttpCommand(
            "/runs/cancel-active",
            "Cancel active runs",
            endpointName: EndpointNames.SubmitterHttp,
            commandName: "cancel-active-runs",
            commandOptions: new HttpCommandOptions
            {
                Description = "Cancels every active run and its Flink job (POST /runs/cancel-active).",
                IconName = "Stop",
                ConfirmationMessage = "Cancel every active run and its Flink job?",
            });
    }
}
