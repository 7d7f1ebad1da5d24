using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>How the Submitter is published: as its own image, built from <c>Submitter/Dockerfile</c>.</summary>
public static class SubmitterImageExtensions
{
    /// <summary>The port the Submitter's image listens on (<c>HTTP_PORTS</c> in <c>Submitter/Dockerfile</c>).</summary>
    public const int ContainerPort = 8080;

    /// <summary>
    /// When publishing, the Submitter becomes a container built from <c>Submitter/Dockerfile</c> in
    /// <paramref name="repositoryRoot"/> (the native Submitter, the pipelines' Python at the cluster's minor version with
    /// apache-beam at the pinned release, the pipelines folder), named by Cluster's <see cref="SubmitterImageBuild"/>. Its
    /// catalog, history and interpreter are paths inside that image, the history on a named volume; its API port is published
    /// to the host, and it answers requests addressed to its service name; its API key, the Submitter's secret parameter,
    /// is required since it listens beyond loopback. Under <c>dotnet run</c> nothing changes. Call it after the
    /// Submitter's other settings: its paths replace the host's.
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="versions">The version set the image is built for.</param>
    /// <param name="repositoryRoot">The repository's root, the build context, relative to the AppHost directory (e.g. <c>..</c>).</param>
    public static IResourceBuilder<SubmitterResource> PublishAsSubmitterImage(
        this IResourceBuilder<SubmitterResource> submitter, VersionSet versions, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);

        var builder = submitter.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return submitter;
        }

        submitter.PublishAsDockerFile(container => container
            .WithImageBuild(
                repositoryRoot,
                SubmitterImageBuild.Dockerfile,
                SubmitterImageBuild.ImageName,
                SubmitterImageBuild.Tag(versions),
                SubmitterImageBuild.Arguments(versions))
            .WithVolume(VolumeNameGenerator.Generate(container, "data"), ContainerPaths.SubmitterData));

        return submitter
            .WithEndpoint(EndpointNames.SubmitterHttp, endpoint =>
            {
                endpoint.TargetPort = ContainerPort;
                endpoint.IsExternal = true;
            })
            .WithEnvironment(SubmitterBuilderExtensions.Setting(SubmitterSettingNames.CatalogPath), ContainerPaths.SubmitterCatalog)
            .WithEnvironment(SubmitterBuilderExtensions.Setting(SubmitterSettingNames.DataDirectory), ContainerPaths.SubmitterData)
            .WithEnvironment(SubmitterBuilderExtensions.Setting(SubmitterSettingNames.PythonPath), ContainerPaths.SubmitterPython)
            // Other containers reach it by its service name, which the Submitter answers only when told.
            .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.AllowedHosts, 0), submitter.Resource.Name);
    }
}
