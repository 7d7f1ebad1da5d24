namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// The Flink lines Beam's Python client accepts for <c>--flink_version</c>. The option is an argparse choice of
/// <c>FlinkRunnerOptions.PUBLISHED_FLINK_VERSIONS</c> (apache/beam <c>sdks/python/apache_beam/options/pipeline_options.py</c>),
/// so a line missing there is refused by the client itself even when the runner supports it. The list has lagged the
/// runners twice:
/// <list type="bullet">
/// <item>Beam 2.56 lists 1.12 to 1.16 while its runners cover 1.17 (apache/beam#31378; fixed for 2.57 by apache/beam#31168).</item>
/// <item>Beam 2.72 lists 1.17 to 1.20 while its runner covers 2.0 (apache/beam#38708; apache/beam#38726 added 2.0 on 2026-05-28,
/// after 2.74 was cut, so 2.73 and 2.74 are taken to lack it as well). Flink 2.1 and 2.2 came with their runners
/// (apache/beam#38961, apache/beam#38980: "supported from Beam &gt;= 2.75.0"), both lists updated together.</item>
/// </list>
/// Every other release accepts exactly the Flink lines of its <see cref="CompatibilityMatrix"/> row.
/// </summary>
public static class FlinkRunnerClientVersions
{
    private static readonly (BeamVersion First, BeamVersion Last, MinorVersion Missing)[] Lags =
    [
        (new(2, 56, 0), new(2, 56, 0), new(1, 17)),
        (new(2, 72, 0), new(2, 74, 0), new(2, 0)),
    ];

    /// <summary>Whether the Python client of <paramref name="beam"/> accepts <c>--flink_version=<paramref name="flink"/></c>.</summary>
    public static bool Accepts(BeamVersion beam, MinorVersion flink)
    {
        if (CompatibilityMatrix.Find(beam) is not { } row || !row.SupportsFlink(flink))
        {
            return false;
        }

        return !Array.Exists(Lags, lag => beam.Release >= lag.First.Release && beam.Release <= lag.Last.Release && lag.Missing == flink);
    }

    /// <summary>The Flink lines the Python client of <paramref name="beam"/> accepts, oldest first; empty outside the matrix.</summary>
    public static IReadOnlyList<MinorVersion> Accepted(BeamVersion beam) =>
        CompatibilityMatrix.Find(beam) is { } row ? row.Flink.Where(flink => Accepts(beam, flink)).ToList() : [];
}
