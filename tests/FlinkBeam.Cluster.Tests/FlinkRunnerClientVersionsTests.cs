using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

/// <summary>Which <c>--flink_version</c> each Beam client accepts (sources in <see cref="FlinkRunnerClientVersions"/>).</summary>
public sealed class FlinkRunnerClientVersionsTests
{
    [Theory]
    [InlineData("2.55.0", "1.16", true)]
    [InlineData("2.56.0", "1.16", true)]
    [InlineData("2.56.0", "1.17", false)]
    [InlineData("2.57.0", "1.17", true)]
    [InlineData("2.71.0", "1.20", true)]
    [InlineData("2.72.0", "1.20", true)]
    [InlineData("2.72.0", "2.0", false)]
    [InlineData("2.74.0", "2.0", false)]
    [InlineData("2.75.0", "2.0", true)]
    [InlineData("2.77.0", "1.19", true)]
    [InlineData("2.77.0", "2.1", true)]
    [InlineData("2.77.0", "2.2", true)]
    [InlineData("2.77.0", "1.18", false)]
    [InlineData("2.40.0", "1.15", false)]
    public void The_client_accepts_the_lines_of_its_row_except_where_its_list_lagged(string beam, string flink, bool accepted)
    {
        Assert.Equal(accepted, FlinkRunnerClientVersions.Accepts(BeamVersion.Parse(beam), MinorVersion.Parse(flink, "Flink")));
    }

    [Fact]
    public void Beam_2_72_lists_what_its_client_printed_in_apache_beam_38708()
    {
        // "invalid choice: '2.0' (choose from 1.17, 1.18, 1.19, 1.20)"
        Assert.Equal(["1.17", "1.18", "1.19", "1.20"], FlinkRunnerClientVersions.Accepted(BeamVersion.Parse("2.72.0")).Select(v => v.ToString()));
    }

    [Fact]
    public void The_pinned_release_accepts_every_Flink_line_it_supports()
    {
        var beam = BeamVersion.Parse(VersionDefaults.Beam);

        Assert.Equal(CompatibilityMatrix.Require(beam).Flink, FlinkRunnerClientVersions.Accepted(beam));
    }
}
