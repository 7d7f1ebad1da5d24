namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// The Submitter's container image (<c>Submitter/Dockerfile</c>, built from the repository's root): the Submitter as a native
/// executable beside the pipelines' Python at the cluster's minor version, apache-beam at the pinned release, and the
/// pipelines folder. Its name, tag and build arguments derive from one <see cref="VersionSet"/>.
/// </summary>
public static class SubmitterImageBuild
{
    /// <summary>The built image's name: a local name, never pulled from a registry.</summary>
    public const string ImageName = "flinkbeam/submitter";

    /// <summary>The Dockerfile, relative to the repository's root (the build context).</summary>
    public const string Dockerfile = "Submitter/Dockerfile";

    /// <summary>Build argument: the Python minor version of the image, e.g. <c>3.12</c> (it picks <c>python:&lt;minor&gt;-slim-trixie</c>).</summary>
    public const string PythonVersionArgument = "PYTHON_VERSION";

    /// <summary>Build argument: the apache-beam release installed for the pipelines, e.g. <c>2.77.0</c>.</summary>
    public const string BeamVersionArgument = "BEAM_VERSION";

    /// <summary>The image's tag, e.g. <c>2.77.0-python3.12</c>.</summary>
    public static string Tag(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return $"{versions.Beam}-python{versions.Python}";
    }

    /// <summary>The image's full local name, e.g. <c>flinkbeam/submitter:2.77.0-python3.12</c>.</summary>
    public static string Reference(VersionSet versions) => $"{ImageName}:{Tag(versions)}";

    /// <summary>The build arguments, by name, in the order the Dockerfile declares them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Arguments(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return
        [
            new(PythonVersionArgument, versions.Python.ToString()),
            new(BeamVersionArgument, versions.Beam.ToString()),
        ];
    }
}
