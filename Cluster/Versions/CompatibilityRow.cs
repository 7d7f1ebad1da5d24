namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// One row of the compatibility matrix: the Beam releases from <paramref name="FirstBeam"/> to
/// <paramref name="LastBeam"/> (by minor release, any patch) build runners for the listed Flink versions and
/// publish SDK images for Python <paramref name="MinPython"/> to <paramref name="MaxPython"/>.
/// </summary>
/// <param name="FirstBeam">First Beam release of the row (patch 0).</param>
/// <param name="LastBeam">Last Beam release of the row (patch 0; its patch releases are covered too).</param>
/// <param name="Flink">The Flink minor versions, oldest first.</param>
/// <param name="MinPython">Oldest supported Python minor version.</param>
/// <param name="MaxPython">Newest supported Python minor version.</param>
public sealed record CompatibilityRow(
    BeamVersion FirstBeam,
    BeamVersion LastBeam,
    IReadOnlyList<MinorVersion> Flink,
    MinorVersion MinPython,
    MinorVersion MaxPython)
{
    /// <summary>Whether the row covers <paramref name="beam"/>; patch releases belong to their minor release.</summary>
    public bool Covers(BeamVersion beam) => beam.Release >= FirstBeam.Release && beam.Release <= LastBeam.Release;

    /// <summary>Whether the row's Beam releases build a runner for <paramref name="flink"/>.</summary>
    public bool SupportsFlink(MinorVersion flink) => Flink.Contains(flink);

    /// <summary>Whether the row's Beam releases publish an SDK image for <paramref name="python"/>.</summary>
    public bool SupportsPython(MinorVersion python) => python >= MinPython && python <= MaxPython;

    /// <summary>The row's Beam releases as text, e.g. <c>2.75 to 2.77</c> or <c>2.56</c>.</summary>
    public string BeamRange => FirstBeam.Release == LastBeam.Release
        ? FirstBeam.Release.ToString()
        : $"{FirstBeam.Release} to {LastBeam.Release}";

    /// <summary>The row's Flink versions as text, e.g. <c>1.19, 1.20, 2.0</c>.</summary>
    public string FlinkList => string.Join(", ", Flink);

    /// <summary>The row's Python range as text, e.g. <c>3.10 to 3.14</c>.</summary>
    public string PythonRange => $"{MinPython} to {MaxPython}";
}
