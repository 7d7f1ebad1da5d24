namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// The one validated combination of Beam, Flink and Python versions that every image name, the pip pin and the
/// pipeline options are derived from. Any instance is valid: the constructor checks the compatibility matrix.
/// </summary>
public sealed record VersionSet
{
    /// <summary>Creates a version set.</summary>
    /// <exception cref="UnsupportedVersionException">The combination is not in the compatibility matrix.</exception>
    /// <param name="Beam">The Beam release.</param>
    /// <param name="Flink">The Flink minor version.</param>
    /// <param name="Python">The Python minor version.</param>
    /// <remarks>The parameters are named like a positional record's so named arguments read the same.</remarks>
    public VersionSet(BeamVersion Beam, MinorVersion Flink, MinorVersion Python)
    {
        CompatibilityMatrix.Validate(Beam, Flink, Python);
        this.Beam = Beam;
        this.Flink = Flink;
        this.Python = Python;
    }

    /// <summary>The defaults of <see cref="VersionDefaults"/>: Beam 2.77.0, Flink 1.20, Python 3.12.</summary>
    public static VersionSet Default { get; } = new(
        BeamVersion.Parse(VersionDefaults.Beam),
        MinorVersion.Parse(VersionDefaults.Flink, "Flink"),
        MinorVersion.Parse(VersionDefaults.Python, "Python"));

    /// <summary>The Beam release of the client, the job server and the SDK image.</summary>
    public BeamVersion Beam { get; }

    /// <summary>The Flink minor version of the cluster and the job server's runner.</summary>
    public MinorVersion Flink { get; }

    /// <summary>The Python minor version of the client and the SDK image.</summary>
    public MinorVersion Python { get; }

    /// <summary>Whether Flink is 2.x or later (different job-server image naming and configuration keys).</summary>
    public bool IsFlink2 => Flink.Major >= 2;

    /// <summary>
    /// Parses and validates configuration text. A null or blank component takes its default: Beam
    /// <see cref="VersionDefaults.Beam"/>; Flink <see cref="VersionDefaults.Flink"/> and Python
    /// <see cref="VersionDefaults.Python"/> when the Beam release supports them, otherwise that release's newest Flink
    /// and newest Python.
    /// </summary>
    /// <exception cref="UnsupportedVersionException">A component is malformed or the combination is unsupported.</exception>
    public static VersionSet Create(string? beam, string? flink, string? python)
    {
        var beamVersion = BeamVersion.Parse(string.IsNullOrWhiteSpace(beam) ? VersionDefaults.Beam : beam);
        var row = CompatibilityMatrix.Require(beamVersion);

        var flinkVersion = string.IsNullOrWhiteSpace(flink)
            ? DefaultFlink(row)
            : MinorVersion.Parse(flink, "Flink");
        var pythonVersion = string.IsNullOrWhiteSpace(python)
            ? DefaultPython(row)
            : MinorVersion.Parse(python, "Python");

        return new VersionSet(beamVersion, flinkVersion, pythonVersion);
    }

    /// <summary>Deconstructs into the three versions.</summary>
    public void Deconstruct(out BeamVersion beam, out MinorVersion flink, out MinorVersion python)
    {
        beam = Beam;
        flink = Flink;
        python = Python;
    }

    /// <summary>The set as text, e.g. <c>Beam 2.77.0, Flink 1.20, Python 3.12</c>.</summary>
    public override string ToString() => $"Beam {Beam}, Flink {Flink}, Python {Python}";

    private static MinorVersion DefaultFlink(CompatibilityRow row)
    {
        var preferred = MinorVersion.Parse(VersionDefaults.Flink, "Flink");
        return row.SupportsFlink(preferred) ? preferred : row.Flink[^1];
    }

    private static MinorVersion DefaultPython(CompatibilityRow row)
    {
        var preferred = MinorVersion.Parse(VersionDefaults.Python, "Python");
        return row.SupportsPython(preferred) ? preferred : row.MaxPython;
    }
}
