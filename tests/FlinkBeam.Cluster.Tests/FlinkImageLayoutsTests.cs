using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The Flink image's layout per line, as read in apache/flink-docker (sources in <see cref="FlinkImageLayouts"/>).</summary>
public sealed class FlinkImageLayoutsTests
{
    [Theory]
    [InlineData("1.12", 11, "openjdk:11-jre", "/usr/local/openjdk-11", true, false, true)]
    [InlineData("1.13", 11, "openjdk:11-jre", "/usr/local/openjdk-11", true, false, true)]
    [InlineData("1.14", 11, "eclipse-temurin:11-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("1.17", 11, "eclipse-temurin:11-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("1.18", 17, "eclipse-temurin:17-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("1.19", 17, "eclipse-temurin:17-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("1.20", 17, "eclipse-temurin:17-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("2.0", 17, "eclipse-temurin:17-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("2.1", 17, "eclipse-temurin:17-jre-jammy", "/opt/java/openjdk", true, false, true)]
    [InlineData("2.2", 17, "eclipse-temurin:17-jre-noble", "/opt/java/openjdk", false, true, false)]
    public void Each_line_has_its_base_JRE_gosu_user_and_entrypoint_style(
        string flink, int java, string baseImage, string javaHome, bool gosu, bool userFlink, bool stepsDown)
    {
        var layout = FlinkImageLayouts.For(MinorVersion.Parse(flink, "Flink"));

        Assert.Equal(
            (baseImage, javaHome, gosu, userFlink, stepsDown),
            (layout.BaseImageFor(java), layout.JavaHomeFor(java), layout.ShipsGosu, layout.RunsAsFlinkUser, layout.EntrypointStepsDown));
    }

    [Fact]
    public void Every_Flink_line_of_the_matrix_has_a_layout_and_an_image_starts_Flink_as_flink_one_way_or_the_other()
    {
        foreach (var flink in CompatibilityMatrix.Rows.SelectMany(row => row.Flink).Distinct())
        {
            var layout = FlinkImageLayouts.For(flink);
            Assert.True(layout.RunsAsFlinkUser != layout.EntrypointStepsDown, $"Flink {flink}: exactly one of USER flink and the entrypoint's step-down");
            Assert.Equal(layout.ShipsGosu, layout.EntrypointStepsDown);
        }
    }

    [Fact]
    public void The_rows_do_not_overlap_and_run_oldest_first()
    {
        var rows = FlinkImageLayouts.Rows;
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i - 1].LastFlink < rows[i].FirstFlink, $"row {i} overlaps or precedes row {i - 1}");
        }
    }

    [Fact]
    public void A_line_whose_image_was_not_read_is_refused_naming_the_known_lines()
    {
        var error = Assert.Throws<UnsupportedVersionException>(() => FlinkImageLayouts.For(new MinorVersion(2, 3)));

        Assert.Equal("Flink", error.Component);
        Assert.Contains("Flink 2.3", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.12 to 2.2", error.Message, StringComparison.Ordinal);
    }
}
