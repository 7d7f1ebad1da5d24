using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

public class VersionSetTests
{
    [Fact]
    public void Default_is_beam_2_77_0_flink_1_20_python_3_12()
    {
        var versions = VersionSet.Default;

        Assert.Equal("2.77.0", versions.Beam.ToString());
        Assert.Equal("1.20", versions.Flink.ToString());
        Assert.Equal("3.12", versions.Python.ToString());
        Assert.False(versions.IsFlink2);
        Assert.Equal(VersionDefaults.Beam, versions.Beam.ToString());
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("", " ", "")]
    [InlineData("2.77.0", null, "3.12")]
    public void Create_with_missing_components_gives_the_default(string? beam, string? flink, string? python)
    {
        Assert.Equal(VersionSet.Default, VersionSet.Create(beam, flink, python));
    }

    [Theory]
    [InlineData("2.61.0", "1.19", "3.12")]
    [InlineData("2.41.0", "1.15", "3.9")]
    [InlineData("2.70.0", "1.20", "3.12")]
    public void Create_without_flink_or_python_picks_the_default_or_the_release_newest(string beam, string flink, string python)
    {
        var versions = VersionSet.Create(beam, null, null);

        Assert.Equal(flink, versions.Flink.ToString());
        Assert.Equal(python, versions.Python.ToString());
    }

    [Theory]
    [InlineData("2.0", true)]
    [InlineData("2.2", true)]
    [InlineData("1.20", false)]
    [InlineData("1.19", false)]
    public void IsFlink2_follows_the_flink_major_version(string flink, bool expected)
    {
        Assert.Equal(expected, VersionSet.Create("2.77.0", flink, "3.12").IsFlink2);
    }

    [Theory]
    [InlineData("2.77.0", "1.16", "3.12", "Flink", "Beam 2.77.0 supports Flink 1.19, 1.20, 2.0, 2.1, 2.2; got 1.16.")]
    [InlineData("2.77.0", "1.20", "3.9", "Python", "Beam 2.77.0 supports Python 3.10 to 3.14; got 3.9.")]
    [InlineData("2.x", "1.20", "3.12", "Beam", "Beam version '2.x' is not a version like 2.77.0.")]
    [InlineData("2.30.0", "1.20", "3.12", "Beam", "Beam 2.30.0 is not in the compatibility matrix; supported releases are 2.41 to 2.77.")]
    [InlineData("2.77.0", "1.20.1", "3.12", "Flink", "Flink version '1.20.1' is not a version like 1.20.")]
    [InlineData("2.77.0", "1.20", "py3", "Python", "Python version 'py3' is not a version like 3.12.")]
    [InlineData("2.30.0", "1.16", "2.7", "Beam", "Beam 2.30.0 is not in the compatibility matrix; supported releases are 2.41 to 2.77.")]
    public void Create_rejects_with_one_readable_sentence(string beam, string flink, string python, string component, string message)
    {
        var e = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create(beam, flink, python));

        Assert.Equal(message, e.Message);
        Assert.Equal(component, e.Component);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Fact]
    public void The_constructor_validates_too()
    {
        var e = Assert.Throws<UnsupportedVersionException>(
            () => new VersionSet(new BeamVersion(2, 77, 0), new MinorVersion(1, 16), new MinorVersion(3, 12)));

        Assert.Equal("Beam 2.77.0 supports Flink 1.19, 1.20, 2.0, 2.1, 2.2; got 1.16.", e.Message);
    }

    [Fact]
    public void Equal_versions_make_equal_sets()
    {
        var a = VersionSet.Create("2.77.0", "2.0", "3.13");
        var b = new VersionSet(new BeamVersion(2, 77, 0), new MinorVersion(2, 0), new MinorVersion(3, 13));

        Assert.Equal(a, b);
        Assert.NotEqual(VersionSet.Default, a);
        Assert.Equal("Beam 2.77.0, Flink 2.0, Python 3.13", a.ToString());
    }
}
