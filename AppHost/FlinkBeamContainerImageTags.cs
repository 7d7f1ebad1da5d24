using FlinkBeam.Cluster;

namespace FlinkBeam.AppHost;

/// <summary>
/// The images of the topology. Cluster's <see cref="ClusterImages"/> derives them from the one validated
/// <see cref="VersionSet"/>; this class only names them for the AppHost, so there is a single source of truth.
/// </summary>
internal static class FlinkBeamContainerImageTags
{
    /// <summary>The TaskManager image's build context, relative to the AppHost directory.</summary>
    public const string TaskManagerContext = "containers/taskmanager";

    /// <summary>Build argument of the TaskManager Dockerfile: the Flink image the Flink runtime is copied from.</summary>
    public const string FlinkImageArgument = "FLINK_IMAGE";

    /// <summary>Build argument of the TaskManager Dockerfile: the Beam Python SDK image it is based on.</summary>
    public const string PythonSdkImageArgument = "BEAM_SDK_IMAGE";

    /// <summary>The JobManager's image, and the Flink runtime inside the TaskManager image.</summary>
    public static ContainerImage Flink(VersionSet versions) => ClusterImages.Flink(versions);

    /// <summary>The Beam Flink job server's image.</summary>
    public static ContainerImage JobServer(VersionSet versions) => ClusterImages.JobServer(versions);

    /// <summary>The Beam Python SDK image the TaskManager image is based on (worker pool, boot program, Python, apache_beam).</summary>
    public static ContainerImage PythonSdk(VersionSet versions) => ClusterImages.PythonSdk(versions);
}
