using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Cluster.Tests;

public class PipelineOptionsTests
{
    private static readonly PipelineOptionsSettings Portable = new()
    {
        JobName = "wordcount-ab12cd34",
        JobEndpoint = "localhost:8099",
    };

    private static readonly PipelineOptionsSettings Flink = new()
    {
        Mode = RunnerMode.Flink,
        JobName = "wordcount-ab12cd34",
        FlinkMaster = "http://localhost:8081",
    };

    [Fact]
    public void Portable_mode_with_defaults()
    {
        Assert.Equal(
            [
                "--runner=PortableRunner",
                "--job_endpoint=localhost:8099",
                "--environment_type=EXTERNAL",
                "--environment_config=localhost:50000",
                "--job_name=wordcount-ab12cd34",
            ],
            PipelineOptions.Build(Portable));
    }

    [Fact]
    public void Portable_mode_with_artifact_endpoint_process_environment_and_parallelism()
    {
        var settings = Portable with
        {
            ArtifactEndpoint = "localhost:8098",
            Environment = SdkEnvironment.Process,
            Parallelism = 2,
        };

        Assert.Equal(
            [
                "--runner=PortableRunner",
                "--job_endpoint=localhost:8099",
                "--artifact_endpoint=localhost:8098",
                "--environment_type=PROCESS",
                """--environment_config={"command":"/opt/apache/beam/boot"}""",
                "--job_name=wordcount-ab12cd34",
                "--parallelism=2",
            ],
            PipelineOptions.Build(settings));
    }

    [Theory]
    [InlineData("1.20", "--flink_version=1.20")]
    [InlineData("2.0", "--flink_version=2.0")]
    [InlineData("2.2", "--flink_version=2.2")]
    public void Flink_mode_submits_an_uber_jar_to_flink_rest_and_names_the_flink_version(string flink, string versionOption)
    {
        var settings = Flink with { Versions = VersionSet.Create("2.77.0", flink, "3.12"), Parallelism = 4 };

        Assert.Equal(
            [
                "--runner=FlinkRunner",
                "--flink_master=http://localhost:8081",
                versionOption,
                "--flink_submit_uber_jar",
                "--environment_type=EXTERNAL",
                "--environment_config=localhost:50000",
                "--job_name=wordcount-ab12cd34",
                "--parallelism=4",
            ],
            PipelineOptions.Build(settings));
    }

    [Theory]
    [InlineData("2.72.0", "2.0")]
    [InlineData("2.74.0", "2.0")]
    [InlineData("2.56.0", "1.17")]
    public void Flink_mode_leaves_out_a_flink_version_the_pinned_client_would_refuse(string beam, string flink)
    {
        var settings = Flink with { Versions = VersionSet.Create(beam, flink, null) };

        var options = PipelineOptions.Build(settings);

        Assert.DoesNotContain(options, o => o.StartsWith("--flink_version", StringComparison.Ordinal));
        Assert.Contains("--flink_submit_uber_jar", options);
    }

    [Fact]
    public void Flink_mode_passes_a_configured_job_server_jar_and_Portable_mode_ignores_it()
    {
        const string jar = "/opt/jars/beam-runners-flink-1.20-job-server-2.77.0.jar";

        Assert.Contains($"--flink_job_server_jar={jar}", PipelineOptions.Build(Flink with { FlinkJobServerJar = jar }));
        Assert.DoesNotContain(PipelineOptions.Build(Portable with { FlinkJobServerJar = jar }), o => o.Contains("jar", StringComparison.Ordinal));
        var blank = Assert.Throws<ArgumentException>(() => PipelineOptions.Build(Flink with { FlinkJobServerJar = " " }));
        Assert.Contains("FlinkJobServerJar", blank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_override_of_the_uber_jar_flag_drops_it_and_says_which_flag_it_was()
    {
        var logger = new CapturingLogger();

        var options = PipelineOptions.Build(Flink, ["--flink_submit_uber_jar"], allowOverride: true, logger);

        Assert.Single(options, o => o == "--flink_submit_uber_jar");
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("option flink_submit_uber_jar: system value --flink_submit_uber_jar replaced", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_arguments_follow_the_owned_ones_in_their_order()
    {
        var result = PipelineOptions.Build(Portable, ["--input=/data/words.txt", "--output", "/outputs/wc", "--streaming"]);

        Assert.Equal(["--input=/data/words.txt", "--output", "/outputs/wc", "--streaming"], result.Skip(5));
    }

    private static readonly Dictionary<string, (PipelineOptionsSettings Settings, string Message)> InvalidCases = new()
    {
        ["Portable: JobEndpoint = null"] = (Portable with { JobEndpoint = null }, "PipelineOptionsSettings.JobEndpoint is required in Portable mode"),
        ["Portable: JobEndpoint = 'localhost'"] = (Portable with { JobEndpoint = "localhost" }, "PipelineOptionsSettings.JobEndpoint 'localhost' is not host:port"),
        ["Portable: JobEndpoint = 'localhost:99999'"] = (Portable with { JobEndpoint = "localhost:99999" }, "PipelineOptionsSettings.JobEndpoint 'localhost:99999' is not host:port"),
        ["Portable: ArtifactEndpoint = 'http://localhost:8098'"] = (Portable with { ArtifactEndpoint = "http://localhost:8098" }, "PipelineOptionsSettings.ArtifactEndpoint 'http://localhost:8098' is not host:port"),
        ["Flink: FlinkMaster = null"] = (Flink with { FlinkMaster = null }, "PipelineOptionsSettings.FlinkMaster is required in Flink mode"),
        ["Flink: FlinkMaster = 'localhost:8081'"] = (Flink with { FlinkMaster = "localhost:8081" }, "PipelineOptionsSettings.FlinkMaster 'localhost:8081' is not http://host:port"),
        ["Flink: FlinkMaster = 'http://localhost'"] = (Flink with { FlinkMaster = "http://localhost" }, "PipelineOptionsSettings.FlinkMaster 'http://localhost' is not http://host:port"),
        ["Flink: FlinkMaster = 'http://localhost:8081/jobs'"] = (Flink with { FlinkMaster = "http://localhost:8081/jobs" }, "PipelineOptionsSettings.FlinkMaster 'http://localhost:8081/jobs' is not http://host:port"),
        ["Portable: EnvironmentConfig = 'localhost'"] = (Portable with { EnvironmentConfig = "localhost" }, "PipelineOptionsSettings.EnvironmentConfig 'localhost' is not host:port of a worker pool"),
        ["Process: EnvironmentConfig is a bare path"] = (Portable with { Environment = SdkEnvironment.Process, EnvironmentConfig = "/opt/apache/beam/boot" }, "PipelineOptionsSettings.EnvironmentConfig '/opt/apache/beam/boot' is not a JSON object with a \"command\" string"),
        ["Process: EnvironmentConfig has an empty command"] = (Portable with { Environment = SdkEnvironment.Process, EnvironmentConfig = """{"command":""}""" }, "PipelineOptionsSettings.EnvironmentConfig '{\"command\":\"\"}' is not a JSON object"),
        ["Portable: Parallelism = 0"] = (Portable with { Parallelism = 0 }, "PipelineOptionsSettings.Parallelism must be at least 1 when set; got 0."),
        ["Portable: JobName = 'WordCount'"] = (Portable with { JobName = "WordCount" }, "Job name 'WordCount' contains 'W'"),
        ["Portable: Mode = (RunnerMode)7"] = (Portable with { Mode = (RunnerMode)7 }, "PipelineOptionsSettings.Mode '7' is not a runner mode; expected Portable or Flink."),
    };

    public static TheoryData<string> Invalid => new(InvalidCases.Keys);

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_are_rejected_naming_the_setting(string invalidCase)
    {
        var (settings, message) = InvalidCases[invalidCase];

        var e = Assert.Throws<ArgumentException>(() => PipelineOptions.Build(settings));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RunnerMode.Portable, "--job_name=other")]
    [InlineData(RunnerMode.Portable, "--job_endpoint=evil:8099")]
    [InlineData(RunnerMode.Portable, "--flink_master=http://evil:8081")]
    [InlineData(RunnerMode.Portable, "--environment_type=DOCKER")]
    [InlineData(RunnerMode.Portable, "--runner=DirectRunner")]
    [InlineData(RunnerMode.Flink, "--flink_version=1.19")]
    [InlineData(RunnerMode.Flink, "--flink_submit_uber_jar=false")]
    [InlineData(RunnerMode.Flink, "--flink_job_server_jar=/tmp/other.jar")]
    [InlineData(RunnerMode.Flink, "--job_endpoint=localhost:8099")]
    [InlineData(RunnerMode.Flink, "--parallelism=8")]
    public void Owned_options_cannot_be_set_by_extra_arguments(RunnerMode mode, string extra)
    {
        var settings = mode == RunnerMode.Portable ? Portable : Flink;
        var name = extra[2..extra.IndexOf('=', StringComparison.Ordinal)];

        var e = Assert.Throws<OwnedOptionException>(() => PipelineOptions.Build(settings, ["--input=/data/x", extra]));

        Assert.Equal(name, e.OptionName);
        Assert.Contains($"'{extra}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("which the system owns", e.Message, StringComparison.Ordinal);
        Assert.Contains("allow an explicit override", e.Message, StringComparison.Ordinal);
        Assert.Contains(name, PipelineOptions.OwnedOptionNames(mode));
    }

    [Theory]
    [InlineData("--job_name", "other")]
    [InlineData("--job-name", "other")]
    [InlineData("--parallelism", "8")]
    public void Owned_options_are_recognised_in_the_separate_value_and_hyphen_spellings(string option, string value)
    {
        var e = Assert.Throws<OwnedOptionException>(() => PipelineOptions.Build(Portable, [option, value]));

        Assert.Contains($"'{option} {value}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_owned_options_are_all_named()
    {
        var e = Assert.Throws<OwnedOptionException>(() => PipelineOptions.Build(Portable, ["--runner=DirectRunner", "--job_name", "x"]));

        Assert.Equal(["runner", "job_name"], e.OptionNames);
    }

    [Fact]
    public void An_explicit_override_replaces_the_owned_value_and_logs_a_warning()
    {
        var logger = new CapturingLogger();

        var result = PipelineOptions.Build(Portable with { Parallelism = 2 }, ["--parallelism", "4", "--input=/data/x"], allowOverride: true, logger);

        Assert.Equal(
            [
                "--runner=PortableRunner",
                "--job_endpoint=localhost:8099",
                "--environment_type=EXTERNAL",
                "--environment_config=localhost:50000",
                "--job_name=wordcount-ab12cd34",
                "--parallelism",
                "4",
                "--input=/data/x",
            ],
            result);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("parallelism", warning.Message, StringComparison.Ordinal);
        Assert.Contains("2", warning.Message, StringComparison.Ordinal);
        Assert.Contains("--parallelism 4", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_of_an_owned_option_the_system_left_unset_is_still_logged()
    {
        var logger = new CapturingLogger();

        var result = PipelineOptions.Build(Portable, ["--artifact_endpoint=localhost:18098"], allowOverride: true, logger);

        Assert.Equal("--artifact_endpoint=localhost:18098", result[^1]);
        Assert.Single(result, a => a.StartsWith("--artifact_endpoint", StringComparison.Ordinal));
        Assert.Contains("artifact_endpoint", Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowing_overrides_without_using_them_changes_nothing_and_logs_nothing()
    {
        var logger = new CapturingLogger();

        var result = PipelineOptions.Build(Portable, ["--input=/data/x"], allowOverride: true, logger);

        Assert.Equal([.. PipelineOptions.Build(Portable), "--input=/data/x"], result);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Options_a_mode_does_not_own_pass_through()
    {
        var result = PipelineOptions.Build(Portable, ["--flink_version=1.20", "--sdk_worker_parallelism=2"]);

        Assert.Equal(["--flink_version=1.20", "--sdk_worker_parallelism=2"], result.Skip(5));
    }

    [Fact]
    public void Owned_option_names_per_mode()
    {
        Assert.Equal(
            ["runner", "job_endpoint", "artifact_endpoint", "flink_master", "environment_type", "environment_config", "job_name", "parallelism"],
            PipelineOptions.OwnedOptionNames(RunnerMode.Portable));
        Assert.Contains("flink_version", PipelineOptions.OwnedOptionNames(RunnerMode.Flink));
        Assert.DoesNotContain("flink_version", PipelineOptions.OwnedOptionNames(RunnerMode.Portable));
    }

    [Fact]
    public void A_null_extra_argument_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => PipelineOptions.Build(Portable, ["--input=/x", null!]));

        Assert.Contains("Extra pipeline argument 1 is null", e.Message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
