using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Python;
using FlinkBeam.AppHost;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The pipelines' Python environment (Aspire.Hosting.Python), and the Submitter's use of it.</summary>
public static class PipelinesBuilderExtensions
{
    /// <summary>The environment check the Python resource runs once the venv is ready.</summary>
    public const string EnvironmentCheckScript = "env_check.py";

    /// <summary>The venv's folder in the pipelines folder.</summary>
    public const string VirtualEnvironment = ".venv";

    /// <summary>
    /// Adds the pipelines' Python environment: a venv in <c>.venv</c> of <paramref name="pipelinesDirectory"/> (made with
    /// the Python on PATH), <c>pip install -r requirements.txt</c> (the apache-beam pin), then <c>env_check.py</c> with the
    /// expected Beam release and Python minor version. It exits when the check is done: 0 when the venv matches the cluster.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="pipelinesDirectory">The pipelines folder, relative to the AppHost directory.</param>
    /// <param name="versions">The version set the venv must match.</param>
    public static IResourceBuilder<PythonAppResource> AddPipelinesEnvironment(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string pipelinesDirectory, VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(pipelinesDirectory);
        ArgumentNullException.ThrowIfNull(versions);

        // Aspire makes the venv only where its folder is missing: one left unfinished by an interrupted first start (no
        // pip) goes, so that it is made again, and the log says why.
        var venv = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, pipelinesDirectory, VirtualEnvironment));
        if (VirtualEnvironmentFolder.RemoveIfUnfinished(venv))
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PipelinesBuilderExtensions))
                    .LogWarning("The pipelines' virtual environment {Venv} was left unfinished by an interrupted start; it was removed and is made again.", venv);
                return Task.CompletedTask;
            });
        }

        // Script arguments go through WithArgs: the AddPythonApp overload that takes them reads the first as a venv path.
        return builder.AddPythonApp(name, pipelinesDirectory, EnvironmentCheckScript)
            .WithVirtualEnvironment(VirtualEnvironment)
            .WithPip()
            .WithArgs("--expect-beam", versions.Beam.ToString(), "--expect-python", versions.Python.ToString());
    }

    /// <summary>
    /// Gives the Submitter the interpreter that runs pipeline clients: the one <paramref name="pipelines"/> names, or under
    /// <c>dotnet run</c> the pipelines' own Python environment, added here. The Submitter does not wait for the environment
    /// check: its readiness gate checks the same interpreter and says what it saw. A published Submitter gets neither
    /// (see the README's publishing section).
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="pipelines">The pipelines' folder, and the interpreter when one is configured.</param>
    /// <param name="versions">The version set the venv must match.</param>
    internal static IResourceBuilder<SubmitterResource> WithPipelinesEnvironment(
        this IResourceBuilder<SubmitterResource> submitter, PipelinesSettings pipelines, VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(versions);

        if (pipelines.PythonPath is { } python)
        {
            return submitter.WithPythonInterpreter(() => python);
        }

        if (!submitter.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return submitter;
        }

        var environment = submitter.ApplicationBuilder.AddPipelinesEnvironment(ResourceNames.Pipelines, pipelines.Folder, versions);
        // Read when the environment is built: the venv's interpreter is the resource's final command.
        return submitter.WithPythonInterpreter(() => environment.Resource.Command).WithReferenceRelationship(environment);
    }
}
