using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

/// <summary>
/// Every row of the published matrix at its edges: the first and last Beam release of the row, Flink and Python just
/// inside and just outside. Expectations are written out here, independently of the matrix's own data.
/// </summary>
public class CompatibilityMatrixTests
{
    private const string F41 = "1.12, 1.13, 1.14, 1.15";
    private const string F47 = "1.12, 1.13, 1.14, 1.15, 1.16";
    private const string F56 = "1.14, 1.15, 1.16, 1.17";
    private const string F57 = "1.15, 1.16, 1.17, 1.18";
    private const string F61 = "1.17, 1.18, 1.19";
    private const string F70 = "1.17, 1.18, 1.19, 1.20";
    private const string F72 = "1.17, 1.18, 1.19, 1.20, 2.0";
    private const string F75 = "1.19, 1.20, 2.0, 2.1, 2.2";

    public static TheoryData<string, string, string> Supported => new()
    {
        { "2.41.0", "1.12", "3.7" }, { "2.42.0", "1.15", "3.9" },
        { "2.43.0", "1.12", "3.10" }, { "2.46.0", "1.15", "3.7" }, { "2.46.1", "1.14", "3.10" },
        { "2.47.0", "1.16", "3.11" }, { "2.48.0", "1.12", "3.7" },
        { "2.49.0", "1.12", "3.8" }, { "2.55.0", "1.16", "3.11" },
        { "2.56.0", "1.14", "3.8" }, { "2.56.0", "1.17", "3.11" },
        { "2.57.0", "1.15", "3.8" }, { "2.60.0", "1.18", "3.12" },
        { "2.61.0", "1.17", "3.9" }, { "2.68.0", "1.19", "3.12" },
        { "2.69.0", "1.17", "3.9" }, { "2.69.0", "1.19", "3.13" },
        { "2.70.0", "1.17", "3.10" }, { "2.71.0", "1.20", "3.13" },
        { "2.72.0", "1.17", "3.10" }, { "2.72.0", "2.0", "3.13" },
        { "2.73.0", "1.17", "3.10" }, { "2.74.0", "2.0", "3.14" },
        { "2.75.0", "1.19", "3.10" }, { "2.77.0", "2.2", "3.14" }, { "2.77.0", "2.1", "3.12" }, { "2.77.2", "1.20", "3.12" },
    };

    public static TheoryData<string, string, string> FlinkJustOutside => new()
    {
        { "2.41.0", "1.11", F41 }, { "2.42.0", "1.16", F41 },
        { "2.43.0", "1.11", F41 }, { "2.46.0", "1.16", F41 },
        { "2.47.0", "1.11", F47 }, { "2.48.0", "1.17", F47 },
        { "2.49.0", "1.11", F47 }, { "2.55.0", "1.17", F47 },
        { "2.56.0", "1.13", F56 }, { "2.56.0", "1.18", F56 },
        { "2.57.0", "1.14", F57 }, { "2.60.0", "1.19", F57 },
        { "2.61.0", "1.16", F61 }, { "2.68.0", "1.20", F61 },
        { "2.69.0", "1.16", F61 }, { "2.69.0", "1.20", F61 },
        { "2.70.0", "1.16", F70 }, { "2.71.0", "2.0", F70 },
        { "2.72.0", "1.16", F72 }, { "2.72.0", "2.1", F72 },
        { "2.73.0", "1.16", F72 }, { "2.74.0", "2.1", F72 },
        { "2.75.0", "1.18", F75 }, { "2.77.0", "2.3", F75 }, { "2.77.0", "1.16", F75 },
    };

    public static TheoryData<string, string, string, string> PythonJustOutside => new()
    {
        { "2.41.0", "3.6", "3.7", "3.9" }, { "2.42.0", "3.10", "3.7", "3.9" },
        { "2.43.0", "3.6", "3.7", "3.10" }, { "2.46.0", "3.11", "3.7", "3.10" },
        { "2.47.0", "3.6", "3.7", "3.11" }, { "2.48.0", "3.12", "3.7", "3.11" },
        { "2.49.0", "3.7", "3.8", "3.11" }, { "2.55.0", "3.12", "3.8", "3.11" },
        { "2.56.0", "3.7", "3.8", "3.11" }, { "2.56.0", "3.12", "3.8", "3.11" },
        { "2.57.0", "3.7", "3.8", "3.12" }, { "2.60.0", "3.13", "3.8", "3.12" },
        { "2.61.0", "3.8", "3.9", "3.12" }, { "2.68.0", "3.13", "3.9", "3.12" },
        { "2.69.0", "3.8", "3.9", "3.13" }, { "2.69.0", "3.14", "3.9", "3.13" },
        { "2.70.0", "3.9", "3.10", "3.13" }, { "2.71.0", "3.14", "3.10", "3.13" },
        { "2.72.0", "3.9", "3.10", "3.13" }, { "2.72.0", "3.14", "3.10", "3.13" },
        { "2.73.0", "3.9", "3.10", "3.14" }, { "2.74.0", "3.15", "3.10", "3.14" },
        { "2.75.0", "3.9", "3.10", "3.14" }, { "2.77.0", "3.15", "3.10", "3.14" },
    };

    [Theory]
    [MemberData(nameof(Supported))]
    public void Supported_combinations_at_the_edges_of_each_row_are_accepted(string beam, string flink, string python)
    {
        var versions = VersionSet.Create(beam, flink, python);

        Assert.Equal(beam, versions.Beam.ToString());
        Assert.Equal(flink, versions.Flink.ToString());
        Assert.Equal(python, versions.Python.ToString());
    }

    [Theory]
    [MemberData(nameof(FlinkJustOutside))]
    public void Flink_just_outside_a_row_is_rejected_naming_the_supported_versions(string beam, string flink, string supported)
    {
        var e = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create(beam, flink, null));

        Assert.Equal($"Beam {beam} supports Flink {supported}; got {flink}.", e.Message);
        Assert.Equal("Flink", e.Component);
    }

    [Theory]
    [MemberData(nameof(PythonJustOutside))]
    public void Python_just_outside_a_row_is_rejected_naming_the_range(string beam, string python, string min, string max)
    {
        var e = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create(beam, null, python));

        Assert.Equal($"Beam {beam} supports Python {min} to {max}; got {python}.", e.Message);
        Assert.Equal("Python", e.Component);
    }

    [Theory]
    [InlineData("2.40.0")]
    [InlineData("2.40.9")]
    [InlineData("2.78.0")]
    [InlineData("2.30.0")]
    [InlineData("3.0.0")]
    [InlineData("1.77.0")]
    public void Beam_releases_outside_the_matrix_are_rejected(string beam)
    {
        var e = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create(beam, "1.20", "3.12"));

        Assert.Equal($"Beam {beam} is not in the compatibility matrix; supported releases are 2.41 to 2.77.", e.Message);
        Assert.Equal("Beam", e.Component);
        Assert.Null(CompatibilityMatrix.Find(BeamVersion.Parse(beam)));
    }

    [Fact]
    public void Rows_cover_2_41_to_2_77_without_gaps_or_overlaps()
    {
        var rows = CompatibilityMatrix.Rows;

        Assert.Equal(new BeamVersion(2, 41, 0), rows[0].FirstBeam);
        Assert.Equal(new BeamVersion(2, 77, 0), rows[^1].LastBeam);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.True(rows[i].FirstBeam <= rows[i].LastBeam, $"row {rows[i].BeamRange} is reversed");
            Assert.True(rows[i].MinPython <= rows[i].MaxPython, $"row {rows[i].BeamRange} has a reversed Python range");
            Assert.Equal(rows[i].Flink.Order(), rows[i].Flink);
            if (i > 0)
            {
                Assert.Equal(rows[i - 1].LastBeam.Minor + 1, rows[i].FirstBeam.Minor);
            }
        }

        for (var minor = 41; minor <= 77; minor++)
        {
            Assert.Single(rows, r => r.Covers(new BeamVersion(2, minor, 0)));
        }
    }

    [Fact]
    public void Find_returns_the_row_for_patch_releases()
    {
        var row = CompatibilityMatrix.Find(BeamVersion.Parse("2.56.3"));

        Assert.NotNull(row);
        Assert.Equal("2.56", row.BeamRange);
        Assert.Equal("1.14, 1.15, 1.16, 1.17", row.FlinkList);
        Assert.Equal("3.8 to 3.11", row.PythonRange);
    }
}
