using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds the Submitter project and gives it its settings, the pipelines and the dashboard commands.</summary>
public static class SubmitterBuilderExtensions
{
    /// <summary>The dashboard command that cancels every active run.</summary>
    public const string CancelActiveRunsCommand = "cancel-active-runs";

    /// <summary>
    /// Adds the Submitter project with the HTTP endpoint its API, <c>/health</c> and the dashboard commands use, and a
    /// health check (<c>{name}_check</c>) that is its readiness gate: healthy while the gate holds; otherwise its
    /// description names each condition the gate still waits for. The AppHost owns that endpoint instead of a launch
    /// profile: Aspire hands its address to the Submitter as <c>ASPNETCORE_URLS</c> under <c>dotnet run</c> and as
    /// <c>HTTP_PORTS</c> in a published compose file.
    /// </summary>
    /// <typeparam name="TProject">The Submitter project: the AppHost's generated <c>Projects.FlinkBeam_Submitter</c>, or any
    /// <see cref="IProjectMetadata"/> naming <c>Submitter/FlinkBeam.Submitter.csproj</c>.</typeparam>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port of the Submitter's API; a free one when null.</param>
    public static IResourceBuilder<ProjectResource> AddSubmitter<TProject>(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var submitter = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: port, name: EndpointNames.SubmitterHttp)
            .WithUrlForEndpoint(EndpointNames.SubmitterHttp, url => url.DisplayText = "Submitter API");

        var endpoint = submitter.Resource.GetEndpoint(EndpointNames.SubmitterHttp);
        return submitter.WithOwnHealthCheck(new SubmitterReadinessHealthCheck(EndpointAddress.Resolver(endpoint)));
    }

    /// <summary>
    /// Passes the runner mode, the versions, the TaskManager count, the SDK environment and <c>AutoRun</c> as
    /// <c>Submitter__*</c>.
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="settings">The validated settings.</param>
    public static IResourceBuilder<ProjectResource> WithClusterSettings(
        this IResourceBuilder<ProjectResource> submitter, FlinkBeamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(settings);

        submitter
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.Mode), settings.Mode.ToString())
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.BeamVersion), settings.Versions.Beam.ToString())
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.FlinkVersion), settings.Versions.Flink.ToString())
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.PythonVersion), settings.Versions.Python.ToString())
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.TaskManagers), settings.Flink.TaskManagers.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.Environment), settings.Environment.ToString());

        for (var i = 0; i < settings.AutoRun.Count; i++)
        {
            submitter.WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.AutoRun, i), settings.AutoRun[i]);
        }

        return submitter;
    }

    /// <summary>Passes the catalog of pipelines the Submitter may launch.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="catalog">The loaded, validated catalog.</param>
    public static IResourceBuilder<ProjectResource> WithCatalog(this IResourceBuilder<ProjectResource> submitter, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(catalog);

        return submitter.WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.CatalogPath), catalog.CatalogPath);
    }

    /// <summary>Passes the folder of the run history; a relative path is taken from the AppHost directory.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="dataDirectory">The folder, e.g. <c>../.data/submitter</c>.</param>
    public static IResourceBuilder<ProjectResource> WithDataDirectory(this IResourceBuilder<ProjectResource> submitter, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);

        return submitter.WithEnvironment(
            SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.DataDirectory),
            Path.GetFullPath(dataDirectory, submitter.ApplicationBuilder.AppHostDirectory));
    }

    /// <summary>
    /// Passes the Python interpreter that runs the pipeline clients, read when the Submitter's environment is built (a
    /// virtual environment's interpreter is known only then).
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="interpreter">The interpreter's path.</param>
    public static IResourceBuilder<ProjectResource> WithPythonInterpreter(this IResourceBuilder<ProjectResource> submitter, Func<string> interpreter)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(interpreter);

        return submitter.WithEnvironment(context => context.EnvironmentVariables[SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.PythonPath)] = interpreter());
    }

    /// <summary>
    /// Adds the dashboard commands "Run &lt;pipeline&gt;" (one per catalog entry, <c>run-&lt;pipeline&gt;</c>, <c>POST /runs</c>) and
    /// "Cancel active runs" (<see cref="CancelActiveRunsCommand"/>, <c>POST /runs/cancel-active</c>), which call the
    /// Submitter's HTTP API.
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="catalog">The catalog whose pipelines get a command.</param>
    public static IResourceBuilder<ProjectResource> WithRunCommands(this IResourceBuilder<ProjectResource> submitter, PipelineCatalog catalog)
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
                commandName: RunCommand(pipeline),
                commandOptions: options);
        }

        return submitter.WithHttpCommand(
            "/runs/cancel-active",
            "Cancel active runs",
            endpointName: EndpointNames.SubmitterHttp,
            commandName: CancelActiveRunsCommand,
            commandOptions: new HttpCommandOptions
            {
                Description = "Cancels every active run and its Flink job (POST /runs/cancel-active).",
                IconName = "Stop",
                ConfirmationMessage = "Cancel every active run and its Flink job?",
            });
    }

    /// <summary>The name of the dashboard command that runs <paramref name="pipeline"/>, e.g. <c>run-wordcount</c>.</summary>
    /// <param name="pipeline">The catalog name of the pipeline.</param>
    public static string RunCommand(string pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        return "run-" + pipeline;
    }
}
