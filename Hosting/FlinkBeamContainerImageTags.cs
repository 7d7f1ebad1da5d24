using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>
/// The image this library builds, the TaskManager with its Beam worker pool, and how it is built. The images it runs as
/// they are (Flink, the job server, the Beam Python SDK the TaskManager is based on) come from Cluster's
/// <see cref="ClusterImages"/>, derived from the same <see cref="VersionSet"/>.
/// </summary>
internal static class FlinkBeamContainerImageTags
{
    /// <summary>The name of the built TaskManager image: a local name, never pulled from a registry.</summary>
    public const string TaskManagerImage = "flinkbeam/flink-taskmanager";

    /// <summary>Build argument of the TaskManager Dockerfile: the Flink image the Flink runtime is copied from.</summary>
    public const string FlinkImageArgument = "FLINK_IMAGE";

    /// <summary>Build argument of the TaskManager Dockerfile: the Beam Python SDK image it is based on.</summary>
    public const string PythonSdkImageArgument = "BEAM_SDK_IMAGE";

    /// <summary>
    /// The TaskManager image's build context: <c>containers/taskmanager</c> beside this assembly, where the build copies
    /// it (and where the package's content files land), so any AppHost that references the library can build it.
    /// </summary>
    public static string TaskManagerContext { get; } = Path.Combine(
        Path.GetDirectoryName(typeof(FlinkBeamContainerImageTags).Assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory,
        "containers",
        "taskmanager");

    /// <summary>
    /// The built TaskManager image's tag, one per version set, e.g. <c>2.77.0-flink1.20-python3.12</c>: changing any
    /// version builds a new image instead of reusing one built for other versions.
    /// </summary>
    public static string TaskManagerTag(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return $"{versions.Beam}-flink{versions.Flink}-python{versions.Python}";
    }
}
