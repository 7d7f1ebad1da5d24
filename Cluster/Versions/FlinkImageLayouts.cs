namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// The layout of the official Flink image (Docker Hub <c>flink:&lt;line&gt;-java&lt;n&gt;</c>, built from apache/flink-docker) for
/// every Flink line of the <see cref="CompatibilityMatrix"/>, read side by side with apache/flink-docker's Dockerfiles and
/// <c>docker-entrypoint.sh</c>:
/// <list type="bullet">
/// <item>1.12 and 1.13: the last Dockerfiles before their removal (commit 678f871, parent of cb711ef "Remove 1.11-1.13") build
/// on <c>openjdk:&lt;java&gt;-jre</c> (Debian), whose JRE is <c>/usr/local/openjdk-&lt;java&gt;</c>; gosu 1.11 is fetched into
/// <c>/usr/local/bin/gosu</c>; <c>drop_privs_cmd</c> in the entrypoint runs Flink through <c>gosu flink</c> when started as root.</item>
/// <item>1.14 to 2.1: FLINK-29137 (commit 3c259f4, 2022-09-01, before 1.14.6) moved every line to
/// <c>eclipse-temurin:&lt;java&gt;-jre-jammy</c>, JRE at <c>/opt/java/openjdk</c>; the same gosu and the same step-down
/// (1.19: commit 3679d8d; 1.20, 2.0, 2.1: the 2.2.1 release commit 983be34 of the master branch).</item>
/// <item>2.2: FLINK-37881 (commit 9d9b8ce, "Drop gosu in favour of Dockerfile USER") and the 2.2.0/2.2.1 release Dockerfiles
/// (fbe91e0, 983be34): <c>eclipse-temurin:&lt;java&gt;-jre-noble</c>, no gosu, <c>USER flink</c>, and an entrypoint that only warns
/// when it runs as root.</item>
/// </list>
/// Every line creates the <c>flink</c> user and group with id <see cref="FlinkUserId"/>.
/// </summary>
public static class FlinkImageLayouts
{
    /// <summary>The uid and gid of the <c>flink</c> user in every official Flink image (<c>useradd --uid=9999</c>).</summary>
    public const int FlinkUserId = 9999;

    private static readonly FlinkImageLayout[] AllRows =
    [
        new(new(1, 12), new(1, 13), "openjdk:{0}-jre", "Debian 11 (bullseye)", "/usr/local/openjdk-{0}",
            ShipsGosu: true, RunsAsFlinkUser: false, EntrypointStepsDown: true),
        new(new(1, 14), new(2, 1), "eclipse-temurin:{0}-jre-jammy", "Ubuntu 22.04 (jammy)", "/opt/java/openjdk",
            ShipsGosu: true, RunsAsFlinkUser: false, EntrypointStepsDown: true),
        new(new(2, 2), new(2, 2), "eclipse-temurin:{0}-jre-noble", "Ubuntu 24.04 (noble)", "/opt/java/openjdk",
            ShipsGosu: false, RunsAsFlinkUser: true, EntrypointStepsDown: false),
    ];

    /// <summary>All rows, oldest Flink line first; they do not overlap.</summary>
    public static IReadOnlyList<FlinkImageLayout> Rows { get; } = Array.AsReadOnly(AllRows);

    /// <summary>The layout of the Flink image for the line <paramref name="flink"/>.</summary>
    /// <exception cref="UnsupportedVersionException">No row covers the line: its image has not been read.</exception>
    public static FlinkImageLayout For(MinorVersion flink) =>
        Array.Find(AllRows, row => row.Covers(flink))
        ?? throw new UnsupportedVersionException(
            "Flink",
            $"The layout of the Flink {flink} image is not known; known lines are {AllRows[0].FirstFlink} to {AllRows[^1].LastFlink}.");
}
