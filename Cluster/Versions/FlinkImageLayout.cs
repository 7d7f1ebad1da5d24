using System.Globalization;

namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// How the official Flink image of one range of Flink lines is laid out: what the TaskManager image copies from it and how
/// it starts Flink. Rows of <see cref="FlinkImageLayouts"/>; every fact names its source there.
/// </summary>
/// <param name="FirstFlink">The first Flink line of the range.</param>
/// <param name="LastFlink">The last Flink line of the range.</param>
/// <param name="BaseImage">The image the Flink image is built on, with <c>{0}</c> for the Java major version, e.g. <c>eclipse-temurin:{0}-jre-jammy</c>.</param>
/// <param name="BaseDistribution">The distribution of that base, e.g. <c>Ubuntu 22.04 (jammy)</c>.</param>
/// <param name="JavaHome">Where the base keeps its JRE, with <c>{0}</c> for the Java major version.</param>
/// <param name="ShipsGosu">Whether the image installs gosu (at <c>/usr/local/bin/gosu</c>).</param>
/// <param name="RunsAsFlinkUser">Whether the Dockerfile ends with <c>USER flink</c>, so the entrypoint starts as <c>flink</c>.</param>
/// <param name="EntrypointStepsDown">Whether <c>docker-entrypoint.sh</c>, started as root, steps down to <c>flink</c> itself (with gosu) before it runs Flink.</param>
public sealed record FlinkImageLayout(
    MinorVersion FirstFlink,
    MinorVersion LastFlink,
    string BaseImage,
    string BaseDistribution,
    string JavaHome,
    bool ShipsGosu,
    bool RunsAsFlinkUser,
    bool EntrypointStepsDown)
{
    /// <summary>Whether the row covers the Flink line <paramref name="flink"/>.</summary>
    public bool Covers(MinorVersion flink) => flink >= FirstFlink && flink <= LastFlink;

    /// <summary>The base image for the Java major version <paramref name="java"/>, e.g. <c>eclipse-temurin:17-jre-jammy</c>.</summary>
    public string BaseImageFor(int java) => string.Format(CultureInfo.InvariantCulture, BaseImage, java);

    /// <summary>The JRE's folder for the Java major version <paramref name="java"/>, e.g. <c>/opt/java/openjdk</c>.</summary>
    public string JavaHomeFor(int java) => string.Format(CultureInfo.InvariantCulture, JavaHome, java);
}
