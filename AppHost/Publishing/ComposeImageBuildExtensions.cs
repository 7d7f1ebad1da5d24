using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Docker;
using Aspire.Hosting.Docker.Resources;
using Aspire.Hosting.Docker.Resources.ServiceNodes;

namespace Aspire.Hosting;

/// <summary>A compose file that builds the images the application builds, so <c>docker compose up</c> needs nothing else.</summary>
public static class ComposeImageBuildExtensions
{
    /// <summary>
    /// Gives every service whose image the application builds from a Dockerfile its <c>build</c> (context, Dockerfile and
    /// arguments as the model has them) and the image's real name instead of an image variable. A build context inside the
    /// AppHost's build output (a library's, such as the TaskManager's) is copied next to the compose file; other contexts (the
    /// repository, for the Submitter) are referred to relative to it. Bind mounts default to the host folders the model
    /// names, relative to the compose file, while their variables still override them.
    /// </summary>
    /// <param name="compose">The compose environment.</param>
    public static IResourceBuilder<DockerComposeEnvironmentResource> WithImageBuilds(this IResourceBuilder<DockerComposeEnvironmentResource> compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var builder = compose.ApplicationBuilder;
        var built = new List<string>();

        return compose
            .ConfigureComposeFile(file =>
            {
                var output = OutputDirectory(builder);
                foreach (var resource in builder.Resources)
                {
                    if (!file.Services.TryGetValue(resource.Name.ToLowerInvariant(), out var service))
                    {
                        continue;
                    }

                    if (resource.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build))
                    {
                        service.Image = $"{build.ImageName}:{build.ImageTag}";
                        service.Build = new Build
                        {
                            Context = Relative(output, ContextFor(build, output)),
                            Dockerfile = Relative(build.ContextPath, build.DockerfilePath),
                            Args = build.BuildArguments.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
                        };
                        built.Add(resource.Name);
                    }

                    DefaultBindMounts(resource, service.Volumes, output);
                }
            })
            .ConfigureEnvFile(variables =>
            {
                // The images are named in the compose file: no variables for them.
                foreach (var name in built)
                {
                    variables.Remove($"{name.ToUpperInvariant().Replace('-', '_')}_IMAGE");
                }
            });
    }

    /// <summary>Where <c>--output-path</c> puts the compose file, as Aspire resolves it (Pipeline:OutputPath, else aspire-output in the AppHost directory).</summary>
    private static string OutputDirectory(IDistributedApplicationBuilder builder) =>
        builder.Configuration["Pipeline:OutputPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(builder.AppHostDirectory, "aspire-output");

    /// <summary>The context the compose file builds from: a copy beside it when the model's is build output, else the model's.</summary>
    private static string ContextFor(DockerfileBuildAnnotation build, string output)
    {
        var buildOutput = Path.GetDirectoryName(typeof(ComposeImageBuildExtensions).Assembly.Location) ?? AppContext.BaseDirectory;
        if (!Path.GetFullPath(build.ContextPath).StartsWith(Path.GetFullPath(buildOutput), StringComparison.Ordinal))
        {
            return build.ContextPath;
        }

        // One copy per image: TaskManagers that share it share the copy.
        var copy = Path.Combine(output, Path.GetFileName(build.ContextPath.TrimEnd(Path.DirectorySeparatorChar)));
        foreach (var file in Directory.EnumerateFiles(build.ContextPath, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(build.ContextPath, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return copy;
    }

    /// <summary><c>${VAR}</c> bind-mount sources become <c>${VAR:-relative path}</c> of the host folder the model mounts.</summary>
    private static void DefaultBindMounts(IResource resource, List<Volume> volumes, string output)
    {
        foreach (var volume in volumes.Where(v => v.Type == "bind" && v.Source is { } source && source.StartsWith("${", StringComparison.Ordinal) && source.EndsWith('}')))
        {
            var mount = resource.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault(m => m.Target == volume.Target && m.Type == ContainerMountType.BindMount);
            if (mount?.Source is { } host)
            {
                volume.Source = $"{volume.Source![..^1]}:-{Relative(output, host)}}}";
            }
        }
    }

    private static string Relative(string from, string to)
    {
        var relative = Path.GetRelativePath(from, to).Replace('\\', '/');
        return relative.StartsWith('.') || relative.StartsWith('/') ? relative : "./" + relative;
    }
}
