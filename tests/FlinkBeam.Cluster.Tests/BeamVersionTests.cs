using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

public class BeamVersionTests
{
    [Theory]
    [InlineData("2.77.0", 2, 77, 0)]
    [InlineData("2.41.1", 2, 41, 1)]
    [InlineData(" 2.60.0 ", 2, 60, 0)]
    [InlineData("10.0.12", 10, 0, 12)]
    public void Parse_reads_major_minor_patch(string text, int major, int minor, int patch)
    {
        var version = BeamVersion.Parse(text);

        Assert.Equal(new BeamVersion(major, minor, patch), version);
        Assert.Equal($"{major}.{minor}.{patch}", version.ToString());
    }

    [Theory]
    [InlineData("2.x")]
    [InlineData("2.77")]
    [InlineData("2.77.0.1")]
    [InlineData("v2.77.0")]
    [InlineData("2.77.0rc1")]
    [InlineData("2.077.0")]
    [InlineData("-2.77.0")]
    [InlineData("2..0")]
    [InlineData("2. 77.0")]
    [InlineData("")]
    public void Parse_rejects_malformed_text_with_one_sentence(string text)
    {
        var e = Assert.Throws<UnsupportedVersionException>(() => BeamVersion.Parse(text));

        Assert.Equal($"Beam version '{text}' is not a version like 2.77.0.", e.Message);
        Assert.Equal("Beam", e.Component);
        Assert.False(BeamVersion.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(BeamVersion.TryParse(null, out var version));
        Assert.Equal(default, version);
    }

    [Fact]
    public void Ordering_is_numeric_not_textual()
    {
        var ordered = new[] { "2.10.1", "2.9.0", "2.10.0", "2.77.0", "3.0.0" }
            .Select(BeamVersion.Parse)
            .Order()
            .Select(v => v.ToString());

        Assert.Equal(["2.9.0", "2.10.0", "2.10.1", "2.77.0", "3.0.0"], ordered);
        Assert.True(BeamVersion.Parse("2.9.0") < BeamVersion.Parse("2.10.0"));
        Assert.True(BeamVersion.Parse("2.77.1") >= BeamVersion.Parse("2.77.0"));
    }

    [Fact]
    public void Release_drops_the_patch()
    {
        Assert.Equal(new MinorVersion(2, 77), BeamVersion.Parse("2.77.3").Release);
    }

    [Fact]
    public void Negative_components_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeamVersion(2, -1, 0));
    }
}
