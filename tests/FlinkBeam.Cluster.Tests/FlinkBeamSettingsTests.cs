using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Cluster.Tests;

public sealed class FlinkBeamSettingsTests
{
    private static FlinkBeamSettings Load(params (string Key, string? Value)[] values) =>
        FlinkBeamSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"FlinkBeam:{v.Key}", v.Value)))
            .Build());

    [Fact]
    public void An_empty_section_takes_Clusters_defaults()
    {
        var settings = Load();

        Assert.Equal(VersionSet.Default, settings.Versions);
        Assert.Equal(new FlinkClusterSettings().TaskManagers, settings.Flink.TaskManagers);
        Assert.Equal(new FlinkClusterSettings().SlotsPerTaskManager, settings.Flink.SlotsPerTaskManager);
        Assert.Equal(SdkEnvironment.External, settings.Environment);
        Assert.Equal(RunnerMode.Portable, settings.Mode);
        Assert.Empty(settings.AutoRun);
    }

    [Fact]
    public void The_repositorys_appsettings_bind_to_a_valid_topology()
    {
        var settings = FlinkBeamSettings.Load(new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.AppHost, "appsettings.json"))
            .Build());

        Assert.Equal(VersionSet.Create(VersionDefaults.Beam, VersionDefaults.Flink, VersionDefaults.Python), settings.Versions);
        Assert.Equal(2, settings.Flink.TaskManagers);
        Assert.Equal(2, settings.Flink.SlotsPerTaskManager);
        Assert.Equal(["wordcount"], settings.AutoRun);
    }

    [Fact]
    public void Every_setting_is_read_and_the_versions_reach_the_Flink_settings()
    {
        var settings = Load(
            ("BeamVersion", "2.75.0"), ("FlinkVersion", "2.0"), ("PythonVersion", "3.11"),
            ("TaskManagers", "3"), ("SlotsPerTaskManager", "4"), ("Environment", "process"), ("Mode", " flink "),
            ("AutoRun:0", "wordcount"), ("AutoRun:1", "split-words"));

        Assert.Equal("2.75.0", settings.Versions.Beam.ToString());
        Assert.Equal("2.0", settings.Versions.Flink.ToString());
        Assert.Equal("3.11", settings.Versions.Python.ToString());
        Assert.Same(settings.Versions, settings.Flink.Versions);
        Assert.Equal(3, settings.Flink.TaskManagers);
        Assert.Equal(4, settings.Flink.SlotsPerTaskManager);
        Assert.Equal(SdkEnvironment.Process, settings.Environment);
        Assert.Equal(RunnerMode.Flink, settings.Mode);
        Assert.Equal(["wordcount", "split-words"], settings.AutoRun);
    }

    [Fact]
    public void An_unsupported_combination_fails_with_Clusters_message()
    {
        var expected = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create("2.77.0", "1.16", "3.12"));

        var actual = Assert.Throws<UnsupportedVersionException>(() => Load(("FlinkVersion", "1.16")));

        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("1.16", actual.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TaskManagers", "0", "TaskManagers")]
    [InlineData("TaskManagers", "99", "TaskManagers")]
    [InlineData("SlotsPerTaskManager", "0", "SlotsPerTaskManager")]
    public void A_cluster_shape_out_of_range_fails_with_Clusters_message(string key, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Load((key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void A_count_that_is_not_a_whole_number_is_named_with_its_key(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Load(("TaskManagers", value)));

        Assert.Contains("FlinkBeam:TaskManagers", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Docker")]
    [InlineData("1")]
    [InlineData("External,Process")]
    public void An_unknown_environment_lists_the_choices(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Load(("Environment", value)));

        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("External, Process", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FlinkRunner")]
    [InlineData("0")]
    public void An_unknown_mode_lists_the_choices(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Load(("Mode", value)));

        Assert.Contains($"FlinkBeam:Mode '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Portable, Flink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoRun_from_one_environment_variable_is_a_comma_list()
    {
        var settings = Load(("AutoRun", "wordcount, split-words,,wordcount"));

        Assert.Equal(["wordcount", "split-words"], settings.AutoRun);
    }

    [Fact]
    public void A_blank_AutoRun_entry_switches_the_default_off()
    {
        var settings = FlinkBeamSettings.Load(new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.AppHost, "appsettings.json"))
            .AddCommandLine(["FlinkBeam:AutoRun:0="])
            .Build());

        Assert.Empty(settings.AutoRun);
    }
}
