using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

public class FlinkClusterSettingsTests
{
    private static readonly Dictionary<string, (FlinkClusterSettings Settings, string Message)> InvalidCases = new()
    {
        ["TaskManagers = 0"] = (new() { TaskManagers = 0 }, "FlinkClusterSettings.TaskManagers must be between 1 and 32; got 0."),
        ["TaskManagers = 33"] = (new() { TaskManagers = 33 }, "FlinkClusterSettings.TaskManagers must be between 1 and 32; got 33."),
        ["SlotsPerTaskManager = 0"] = (new() { SlotsPerTaskManager = 0 }, "FlinkClusterSettings.SlotsPerTaskManager must be between 1 and 64; got 0."),
        ["DefaultParallelism = 0"] = (new() { DefaultParallelism = 0 }, "FlinkClusterSettings.DefaultParallelism must be between 1 and the cluster's 2 slots (1 TaskManager(s) × 2 slots); got 0."),
        ["DefaultParallelism = 3"] = (new() { DefaultParallelism = 3 }, "FlinkClusterSettings.DefaultParallelism must be between 1 and the cluster's 2 slots (1 TaskManager(s) × 2 slots); got 3."),
        ["JobManagerHost = 'flink jobmanager'"] = (new() { JobManagerHost = "flink jobmanager" }, "FlinkClusterSettings.JobManagerHost 'flink jobmanager' is not a host name"),
        ["JobManagerHost = '-jm'"] = (new() { JobManagerHost = "-jm" }, "FlinkClusterSettings.JobManagerHost '-jm' is not a host name"),
        ["CheckpointDirectory = '/checkpoints'"] = (new() { CheckpointDirectory = "/checkpoints" }, "FlinkClusterSettings.CheckpointDirectory '/checkpoints' is not a URI with a scheme"),
        ["SavepointDirectory = 'file:///check points'"] = (new() { SavepointDirectory = "file:///check points" }, "FlinkClusterSettings.SavepointDirectory 'file:///check points' cannot be passed to the Flink image"),
        ["TaskManagerMemory = '1728 m'"] = (new() { TaskManagerMemory = "1728 m" }, "FlinkClusterSettings.TaskManagerMemory '1728 m' is not a Flink memory size"),
        ["JobManagerMemory = 'lots'"] = (new() { JobManagerMemory = "lots" }, "FlinkClusterSettings.JobManagerMemory 'lots' is not a Flink memory size"),
        ["AdditionalProperties sets parallelism.default"] = (new() { AdditionalProperties = new Dictionary<string, string> { ["parallelism.default"] = "4" } }, "FlinkClusterSettings.AdditionalProperties sets 'parallelism.default', which the cluster sets from DefaultParallelism"),
        ["AdditionalProperties sets execution.checkpointing.dir"] = (new() { AdditionalProperties = new Dictionary<string, string> { ["execution.checkpointing.dir"] = "file:///x" } }, "FlinkClusterSettings.AdditionalProperties sets 'execution.checkpointing.dir', which the cluster sets from CheckpointDirectory"),
        ["AdditionalProperties value with spaces"] = (new() { AdditionalProperties = new Dictionary<string, string> { ["env.java.opts"] = "-Xmx1g -Xss2m" } }, "Flink property 'env.java.opts' value '-Xmx1g -Xss2m' contains whitespace"),
    };

    public static TheoryData<string> Invalid => new(InvalidCases.Keys);

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_are_rejected_naming_the_setting(string invalidCase)
    {
        var (settings, message) = InvalidCases[invalidCase];

        var e = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => FlinkProperties.ForJobManager(settings));
        Assert.Throws<ArgumentException>(() => FlinkProperties.ForTaskManager(settings));
    }

    [Fact]
    public void Parallelism_may_use_every_slot_of_the_cluster()
    {
        var settings = new FlinkClusterSettings { TaskManagers = 3, SlotsPerTaskManager = 2, DefaultParallelism = 6 };

        settings.Validate();

        Assert.Equal(6, settings.TotalSlots);
    }

    [Fact]
    public void Defaults_are_valid_and_put_state_on_the_checkpoints_volume()
    {
        var settings = new FlinkClusterSettings();

        settings.Validate();

        Assert.Equal("flink-jobmanager", settings.JobManagerHost);
        Assert.StartsWith("file:///checkpoints/", settings.CheckpointDirectory, StringComparison.Ordinal);
        Assert.StartsWith("file:///checkpoints/", settings.SavepointDirectory, StringComparison.Ordinal);
        Assert.Equal(VersionSet.Default, settings.Versions);
    }
}
