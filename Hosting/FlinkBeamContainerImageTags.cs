using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>
/// Where the build contexts of the images this library builds are. Their names, tags and build arguments come from
/// Cluster's <see cref="TaskManagerImageBuild"/> and <see cref="SubmitterImageBuild"/>, derived from the same
/// <see cref="VersionSet"/> as every image the cluster runs as it is (<see cref="ClusterImages"/>).
/// </summary>
internal static class FlinkBeamContainerImageTags
{
    /// <summary>
    /// The TaskManager image's build context: <c>containers/taskmanager</c> beside this assembly, where the build copies
    /// it (and where the package's content files land), so any AppHost that references the library can build it.
    /// </summary>
    public static string TaskManagerContext { get; } = Path.Combine(
        Path.GetDirectoryName(typeof(FlinkBeamContainerImageTags).Assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory,
        "containers",
        "taskmanager");
}
