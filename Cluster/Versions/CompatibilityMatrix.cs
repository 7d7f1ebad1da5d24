namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// Which Flink and Python versions each Beam release supports. Sources: the Beam website's Flink runner
/// compatibility table and the release notes. Rows are split where an edge moves inside a published range
/// (Python 3.10 arrived in 2.43, Python 3.7 left in 2.49).
/// </summary>
public static class CompatibilityMatrix
{
    private static readonly CompatibilityRow[] AllRows =
    [
        Row("2.41", "2.42", ["1.12", "1.13", "1.14", "1.15"], "3.7", "3.9"),
        Row("2.43", "2.46", ["1.12", "1.13", "1.14", "1.15"], "3.7", "3.10"),
        Row("2.47", "2.48", ["1.12", "1.13", "1.14", "1.15", "1.16"], "3.7", "3.11"),
        Row("2.49", "2.55", ["1.12", "1.13", "1.14", "1.15", "1.16"], "3.8", "3.11"),
        Row("2.56", "2.56", ["1.14", "1.15", "1.16", "1.17"], "3.8", "3.11"),
        Row("2.57", "2.60", ["1.15", "1.16", "1.17", "1.18"], "3.8", "3.12"),
        Row("2.61", "2.68", ["1.17", "1.18", "1.19"], "3.9", "3.12"),
        Row("2.69", "2.69", ["1.17", "1.18", "1.19"], "3.9", "3.13"),
        Row("2.70", "2.71", ["1.17", "1.18", "1.19", "1.20"], "3.10", "3.13"),
        Row("2.72", "2.72", ["1.17", "1.18", "1.19", "1.20", "2.0"], "3.10", "3.13"),
        Row("2.73", "2.74", ["1.17", "1.18", "1.19", "1.20", "2.0"], "3.10", "3.14"),
        Row("2.75", "2.77", ["1.19", "1.20", "2.0", "2.1", "2.2"], "3.10", "3.14"),
    ];

    /// <summary>All rows, oldest Beam release first; the rows are contiguous and do not overlap.</summary>
    public static IReadOnlyList<CompatibilityRow> Rows { get; } = Array.AsReadOnly(AllRows);

    /// <summary>The oldest Beam release the matrix knows.</summary>
    public static BeamVersion FirstBeam => AllRows[0].FirstBeam;

    /// <summary>The newest Beam release the matrix knows.</summary>
    public static BeamVersion LastBeam => AllRows[^1].LastBeam;

    /// <summary>The row covering <paramref name="beam"/>, or <see langword="null"/> when the release is not in the matrix.</summary>
    public static CompatibilityRow? Find(BeamVersion beam) => Array.Find(AllRows, row => row.Covers(beam));

    /// <summary>The row covering <paramref name="beam"/>.</summary>
    /// <exception cref="UnsupportedVersionException">The release is not in the matrix.</exception>
    public static CompatibilityRow Require(BeamVersion beam) =>
        Find(beam) ?? throw new UnsupportedVersionException(
            "Beam",
            $"Beam {beam} is not in the compatibility matrix; supported releases are {FirstBeam.Release} to {LastBeam.Release}.");

    /// <summary>Checks that <paramref name="flink"/> and <paramref name="python"/> work with <paramref name="beam"/>.</summary>
    /// <exception cref="UnsupportedVersionException">One of them does not; the message names the supported choices.</exception>
    public static void Validate(BeamVersion beam, MinorVersion flink, MinorVersion python)
    {
        var row = Require(beam);
        if (!row.SupportsFlink(flink))
        {
            throw new UnsupportedVersionException("Flink", $"Beam {beam} supports Flink {row.FlinkList}; got {flink}.");
        }

        if (!row.SupportsPython(python))
        {
            throw new UnsupportedVersionException("Python", $"Beam {beam} supports Python {row.PythonRange}; got {python}.");
        }
    }

    private static CompatibilityRow Row(string firstBeam, string lastBeam, string[] flink, string minPython, string maxPython) =>
        new(
            BeamVersion.Parse(firstBeam + ".0"),
            BeamVersion.Parse(lastBeam + ".0"),
            Array.AsReadOnly(Array.ConvertAll(flink, f => MinorVersion.Parse(f, "Flink"))),
            MinorVersion.Parse(minPython, "Python"),
            MinorVersion.Parse(maxPython, "Python"));
}
