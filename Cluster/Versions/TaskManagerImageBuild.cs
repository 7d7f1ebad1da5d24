using System.Globalization;

namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// The TaskManager image this project builds (<c>Hosting/containers/taskmanager/Dockerfile</c>): its name, its tag and its
/// build arguments, all derived from one <see cref="VersionSet"/> and the <see cref="FlinkImageLayouts"/> of its Flink line.
/// </summary>
public static class TaskManagerImageBuild
{
    /// <summary>The built image's name: a local name, never pulled from a registry.</summary>
    public const string ImageName = "flinkbeam/flink-taskmanager";

    /// <summary>Build argument: the Flink image the Flink runtime and its JRE are copied from.</summary>
    public const string FlinkImageArgument = "FLINK_IMAGE";

    /// <summary>Build argument: the Beam Python SDK image the TaskManager image is based on.</summary>
    public const string PythonSdkImageArgument = "BEAM_SDK_IMAGE";

    /// <summary>Build argument: where the Flink image keeps its JRE (<see cref="FlinkImageLayout.JavaHomeFor"/>).</summary>
    public const string FlinkJavaHomeArgument = "FLINK_JAVA_HOME";

    /// <summary>
    /// Build argument, <c>true</c> or <c>false</c>: whether the Flink image's entrypoint steps down to <c>flink</c> itself
    /// (<see cref="FlinkImageLayout.EntrypointStepsDown"/>). When it does not, the TaskManager image's entrypoint starts it as
    /// <c>flink</c>.
    /// </summary>
    public const string FlinkEntrypointStepsDownArgument = "FLINK_ENTRYPOINT_STEPS_DOWN";

    /// <summary>
    /// The image's tag, one per version set, e.g. <c>2.77.0-flink1.20-python3.12</c>: changing any version builds a new image
    /// instead of reusing one built for other versions.
    /// </summary>
    public static string Tag(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return $"{versions.Beam}-flink{versions.Flink}-python{versions.Python}";
    }

    /// <summary>The image's full local name, e.g. <c>flinkbeam/flink-taskmanager:2.77.0-flink1.20-python3.12</c>.</summary>
    public static string Reference(VersionSet versions) => $"{ImageName}:{Tag(versions)}";

    /// <summary>The build arguments, by name, in the order the Dockerfile declares them.</summary>
    /// <exception cref="UnsupportedVersionException">The Flink line's image layout is not known.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Arguments(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var layout = FlinkImageLayouts.For(versions.Flink);
        var java = ClusterImages.FlinkJavaVersion(versions);
        return
        [
            new(FlinkImageArgument, ClusterImages.Flink(versions).FullReference),
            new(PythonSdkImageArgument, ClusterImages.PythonSdk(versions).FullReference),
            new(FlinkJavaHomeArgument, layout.JavaHomeFor(java)),
            new(FlinkEntrypointStepsDownArgument, layout.EntrypointStepsDown ? "true" : "false"),
        ];
    }
}
