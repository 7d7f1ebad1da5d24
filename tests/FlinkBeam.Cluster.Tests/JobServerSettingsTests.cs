using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Cluster.Tests;

public class JobServerSettingsTests
{
    [Fact]
    public void Default_arguments()
    {
        Assert.Equal(
            [
                "--flink-master=flink-jobmanager:8081",
                "--artifacts-dir=/artifacts",
                "--job-host=0.0.0.0",
                "--job-port=8099",
                "--artifact-port=8098",
                "--expansion-port=8097",
                "--clean-artifacts-per-job=true",
            ],
            new JobServerSettings().ToArguments());
    }

    [Fact]
    public void Changed_settings_are_rendered()
    {
        var settings = new JobServerSettings
        {
            FlinkMaster = "jm.example:9081",
            ArtifactsDirectory = "gs://bucket/artifacts",
            JobHost = "beam-jobserver",
            JobPort = 18099,
            CleanArtifactsPerJob = false,
            FlinkConfDirectory = "/opt/flink/conf",
        };

        var arguments = settings.ToArguments();

        Assert.Equal("--flink-master=jm.example:9081", arguments[0]);
        Assert.Equal("--artifacts-dir=gs://bucket/artifacts", arguments[1]);
        Assert.Equal("--job-host=beam-jobserver", arguments[2]);
        Assert.Equal("--job-port=18099", arguments[3]);
        Assert.Equal("--clean-artifacts-per-job=false", arguments[6]);
        Assert.Equal("--flink-conf-dir=/opt/flink/conf", arguments[^1]);
    }

    [Theory]
    [InlineData("[local]")]
    [InlineData("[auto]")]
    [InlineData("127.0.0.1:8081")]
    public void Special_and_numeric_flink_masters_are_accepted(string master)
    {
        Assert.Equal($"--flink-master={master}", new JobServerSettings { FlinkMaster = master }.ToArguments()[0]);
    }

    private static readonly Dictionary<string, (JobServerSettings Settings, string Message)> InvalidCases = new()
    {
        ["FlinkMaster = 'flink-jobmanager'"] = (new() { FlinkMaster = "flink-jobmanager" }, "JobServerSettings.FlinkMaster 'flink-jobmanager' is not host:port"),
        ["FlinkMaster = 'http://flink-jobmanager:8081'"] = (new() { FlinkMaster = "http://flink-jobmanager:8081" }, "JobServerSettings.FlinkMaster 'http://flink-jobmanager:8081' is not host:port"),
        ["FlinkMaster = 'flink-jobmanager:0'"] = (new() { FlinkMaster = "flink-jobmanager:0" }, "JobServerSettings.FlinkMaster 'flink-jobmanager:0' is not host:port"),
        ["ArtifactsDirectory = 'artifacts'"] = (new() { ArtifactsDirectory = "artifacts" }, "JobServerSettings.ArtifactsDirectory 'artifacts' is not an absolute path"),
        ["ArtifactsDirectory = '/my artifacts'"] = (new() { ArtifactsDirectory = "/my artifacts" }, "JobServerSettings.ArtifactsDirectory '/my artifacts' is not an absolute path"),
        ["JobHost = '0.0.0.0 '"] = (new() { JobHost = "0.0.0.0 " }, "JobServerSettings.JobHost '0.0.0.0 ' is not a host name"),
        ["JobPort = 0"] = (new() { JobPort = 0 }, "JobServerSettings.JobPort must be between 1 and 65535; got 0."),
        ["ExpansionPort = 70000"] = (new() { ExpansionPort = 70000 }, "JobServerSettings.ExpansionPort must be between 1 and 65535; got 70000."),
        ["ArtifactPort = 8099"] = (new() { ArtifactPort = 8099 }, "JobServerSettings ports must differ; got JobPort 8099, ArtifactPort 8099, ExpansionPort 8097."),
        ["FlinkConfDirectory = 'conf'"] = (new() { FlinkConfDirectory = "conf" }, "JobServerSettings.FlinkConfDirectory 'conf' is not an absolute path"),
    };

    public static TheoryData<string> Invalid => new(InvalidCases.Keys);

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_are_rejected_naming_the_setting(string invalidCase)
    {
        var (settings, message) = InvalidCases[invalidCase];

        var e = Assert.Throws<ArgumentException>(settings.ToArguments);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
