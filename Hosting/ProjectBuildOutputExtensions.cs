using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Starts a project resource from the build output its AppHost's build has just made.</summary>
public static class ProjectBuildOutputExtensions
{
    /// <summary>The configuration key Aspire reads when an IDE runs the AppHost and launches its projects itself.</summary>
    internal const string DebugSessionPort = "DEBUG_SESSION_PORT";

    /// <summary>The configuration key that is true under <c>dotnet watch</c>, where Aspire runs projects with <c>dotnet watch</c>.</summary>
    internal const string DotnetWatch = "DOTNET_WATCH";

    /// <summary>
    /// Under <c>dotnet run</c> of the AppHost, starts the project's executable beside <paramref name="assemblyPath"/>
    /// instead of Aspire's <c>dotnet run --no-build --project …</c>, which evaluates the project file again only to find
    /// that executable (about a second on two cores). Environment, arguments, endpoints and working directory (the
    /// project's folder) are Aspire's, as before; so is the .NET install the executable runs on, which <c>dotnet run</c>
    /// gave the AppHost (<c>DOTNET_ROOT</c>) and every process it starts inherits.
    /// Aspire's own launch is kept wherever this would change what runs: in publish mode, when an IDE launches the
    /// projects (<c>DEBUG_SESSION_PORT</c>), under <c>dotnet watch</c> (<c>DOTNET_WATCH</c>), and when no executable is
    /// beside the assembly (a build without an apphost).
    /// </summary>
    /// <typeparam name="T">The project resource, e.g. a <see cref="ProjectResource"/> or a <see cref="SubmitterResource"/>.</typeparam>
    /// <param name="project">The project; a ProjectReference of the AppHost, so the AppHost's build builds it first.</param>
    /// <param name="assemblyPath">The project's built assembly, as the AppHost's build recorded it (its <c>TargetPath</c>).</param>
    public static IResourceBuilder<T> WithBuildOutputLaunch<T>(this IResourceBuilder<T> project, string assemblyPath)
        where T : ProjectResource
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);

        var configuration = project.ApplicationBuilder.Configuration;
        if (!project.ApplicationBuilder.ExecutionContext.IsRunMode
            || !string.IsNullOrEmpty(configuration[DebugSessionPort])
            || string.Equals(configuration[DotnetWatch], "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(configuration[DotnetWatch], "1", StringComparison.Ordinal))
        {
            return project;
        }

        var executable = Path.ChangeExtension(assemblyPath, OperatingSystem.IsWindows() ? ".exe" : null);
        if (!File.Exists(executable))
        {
            return project;
        }

        project.Resource.Annotations.Add(new ExecutableAnnotation
        {
            Command = executable,
            WorkingDirectory = Path.GetDirectoryName(project.Resource.GetProjectMetadata().ProjectPath)!,
        });
        return project;
    }
}
