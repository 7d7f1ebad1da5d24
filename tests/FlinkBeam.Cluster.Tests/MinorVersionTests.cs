using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

public class MinorVersionTests
{
    [Theory]
    [InlineData("1.20", 1, 20)]
    [InlineData("2.0", 2, 0)]
    [InlineData("3.9", 3, 9)]
    public void Parse_reads_major_and_minor(string text, int major, int minor)
    {
        var version = MinorVersion.Parse(text, "Flink");

        Assert.Equal(new MinorVersion(major, minor), version);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("1.20.1", "Flink", "Flink version '1.20.1' is not a version like 1.20.")]
    [InlineData("1.x", "Flink", "Flink version '1.x' is not a version like 1.20.")]
    [InlineData("three", "Python", "Python version 'three' is not a version like 3.12.")]
    [InlineData("3", "Python", "Python version '3' is not a version like 3.12.")]
    [InlineData("3.012", "Python", "Python version '3.012' is not a version like 3.12.")]
    public void Parse_rejects_malformed_text_naming_the_component(string text, string component, string message)
    {
        var e = Assert.Throws<UnsupportedVersionException>(() => MinorVersion.Parse(text, component));

        Assert.Equal(message, e.Message);
        Assert.Equal(component, e.Component);
    }

    [Fact]
    public void Ordering_is_numeric()
    {
        var ordered = new[] { "2.0", "1.20", "1.9", "1.10" }.Select(t => MinorVersion.Parse(t, "Flink")).Order().Select(v => v.ToString());

        Assert.Equal(["1.9", "1.10", "1.20", "2.0"], ordered);
        Assert.True(new MinorVersion(3, 9) < new MinorVersion(3, 10));
    }
}
