using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds the Submitter project and gives it its settings and the dashboard command that cancels every active run.</summary>
public static class SubmitterBuilderExtensions
{
    /// <summary>The Submitter's dashboard command that cancels every active run.</summary>
    public const string CancelActiveRunsCommand = "cancel-active-runs";

    /// <summary>
    /// Adds the Submitter project (a <see cref="SubmitterResource"/>) with the HTTP endpoint its API, <c>/health</c>, the
    /// run events and the dashboard commands use; a health check (<c>{name}_check</c>) that is its readiness gate: healthy
    /// while the gate holds, otherwise its description names each condition the gate still waits for; a secret API key
    /// (the parameter <c>{name}-api-key</c>, generated once and kept in the AppHost's user secrets like Aspire's generated
    /// passwords, written as a parameter into a published compose file) passed as <c>Submitter__ApiKey</c> and presented
    /// by every dashboard command; and the command "Cancel active runs". The AppHost owns the endpoint instead of a launch
    /// profile: Aspire hands its address to the Submitter as <c>ASPNETCORE_URLS</c> under <c>dotnet run</c> and as
    /// <c>HTTP_PORTS</c> in a published compose file.
    /// </summary>
    /// <typeparam name="TProject">The Submitter project: the AppHost's generated <c>Projects.FlinkBeam_Submitter</c>, or any
    /// <see cref="IProjectMetadata"/> naming <c>Submitter/FlinkBeam.Submitter.csproj</c>.</typeparam>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port of the Submitter's API; a free one when null.</param>
    public static IResourceBuilder<SubmitterResource> AddSubmitter<TProject>(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        // Letters and digits only: the key travels in an HTTP header and in a compose file's .env.
        var apiKey = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-api-key", special: false);
        var resource = new SubmitterResource(name, apiKey);

        // WithProjectDefaults is what AddProject applies to the ProjectResource it makes; 13.6.5 marks it experimental.
#pragma warning disable ASPIREPROJECTS001
        var submitter = builder.AddResource(resource)
            .WithAnnotation(new TProject())
            .WithProjectDefaults(new ProjectResourceOptions { ExcludeLaunchProfile = true });
#pragma warning restore ASPIREPROJECTS001

        return submitter
            .WithHttpEndpoint(port: port, name: EndpointNames.SubmitterHttp)
            .WithUrlForEndpoint(EndpointNames.SubmitterHttp, url => url.DisplayText = "Submitter API")
            .WithEnvironment(context => context.EnvironmentVariables[Setting(SubmitterSettingNames.ApiKey)] = resource.ApiKeyParameter)
            .WithOwnHealthCheck(new SubmitterReadinessHealthCheck(EndpointAddress.Resolver(resource.HttpEndpoint)))
            .WithCommand(
                CancelActiveRunsCommand,
                "Cancel active runs",
                context => PipelineCommands.CancelAsync(resource, pipeline: null, context.CancellationToken),
                new CommandOptions
                {
                    Description = "Cancels every active run of this Submitter, and its Flink job.",
                    IconName = "Stop",
                    ConfirmationMessage = "Cancel every active run and its Flink job?",
                });
    }

    /// <summary>
    /// Passes the runner mode, the versions, the TaskManager count, the SDK environment and <c>AutoRun</c> as
    /// <c>Submitter__*</c>; the Flink version also decides the Flink web UI's job links on the pipelines' rows.
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="settings">The validated settings.</param>
    public static IResourceBuilder<SubmitterResource> WithClusterSettings(
        this IResourceBuilder<SubmitterResource> submitter, FlinkBeamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(settings);

        submitter.Resource.FlinkVersion = settings.Versions.Flink;
        submitter
            .WithEnvironment(Setting(SubmitterSettingNames.Mode), settings.Mode.ToString())
            .WithEnvironment(Setting(SubmitterSettingNames.BeamVersion), settings.Versions.Beam.ToString())
            .WithEnvironment(Setting(SubmitterSettingNames.FlinkVersion), settings.Versions.Flink.ToString())
            .WithEnvironment(Setting(SubmitterSettingNames.PythonVersion), settings.Versions.Python.ToString())
            .WithEnvironment(Setting(SubmitterSettingNames.TaskManagers), settings.Flink.TaskManagers.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(Setting(SubmitterSettingNames.Environment), settings.Environment.ToString());

        for (var i = 0; i < settings.AutoRun.Count; i++)
        {
            submitter.WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.AutoRun, i), settings.AutoRun[i]);
        }

        return submitter;
    }

    /// <summary>Passes the folder of the run history; a relative path is taken from the AppHost directory.</summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="dataDirectory">The folder, e.g. <c>../.data/submitter</c>.</param>
    public static IResourceBuilder<SubmitterResource> WithDataDirectory(this IResourceBuilder<SubmitterResource> submitter, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);

        return submitter.WithEnvironment(
            Setting(SubmitterSettingNames.DataDirectory),
            Path.GetFullPath(dataDirectory, submitter.ApplicationBuilder.AppHostDirectory));
    }

    /// <summary>
    /// Passes the Python interpreter that runs the pipeline clients, read when the Submitter's environment is built (a
    /// virtual environment's interpreter is known only then).
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="interpreter">The interpreter's path.</param>
    public static IResourceBuilder<SubmitterResource> WithPythonInterpreter(this IResourceBuilder<SubmitterResource> submitter, Func<string> interpreter)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(interpreter);

        return submitter.WithEnvironment(context => context.EnvironmentVariables[Setting(SubmitterSettingNames.PythonPath)] = interpreter());
    }

    /// <summary>The environment variable of one of the Submitter's settings, e.g. <c>Submitter__Grace</c>.</summary>
    internal static string Setting(string name) => SubmitterSettingNames.EnvironmentVariable(name);
}
