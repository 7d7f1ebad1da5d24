using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting.Tests;

/// <summary>A run's Flink job in the Flink web UI, which routes by the URL's fragment (sources in <see cref="FlinkJobPage"/>).</summary>
public sealed class FlinkJobPageTests
{
    [Theory]
    [InlineData("http://localhost:8081", "1.20", false, "http://localhost:8081/#/job/running/a1b2/overview")]
    [InlineData("http://localhost:8081/", "1.20", true, "http://localhost:8081/#/job/completed/a1b2/overview")]
    [InlineData("http://localhost:8081", "2.1", false, "http://localhost:8081/#/job/running/a1b2/overview")]
    [InlineData("http://localhost:8081", "1.16", true, "http://localhost:8081/#/job/completed/a1b2/overview")]
    [InlineData("http://localhost:8081", "1.15", false, "http://localhost:8081/#/job/a1b2/overview")]
    [InlineData("http://localhost:8081", "1.12", true, "http://localhost:8081/#/job/a1b2/overview")]
    [InlineData("http://localhost:8081", null, true, "http://localhost:8081/#/job/completed/a1b2/overview")]
    [InlineData("https://gateway.example/flink", "1.20", false, "https://gateway.example/flink/#/job/running/a1b2/overview")]
    [InlineData("https://gateway.example/flink/?x=1#old", "1.20", false, "https://gateway.example/flink/#/job/running/a1b2/overview")]
    public void The_page_follows_the_Flink_version_and_whether_the_job_has_ended(string flinkRest, string? flink, bool ended, string expected)
    {
        var version = flink is null ? (MinorVersion?)null : MinorVersion.Parse(flink, "Flink");

        Assert.Equal(expected, FlinkJobPage.For(new Uri(flinkRest), "a1b2", ended, version).ToString());
    }
}
