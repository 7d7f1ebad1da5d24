using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Submitter.Runs;

namespace FlinkBeam.Submitter.Tests;

public sealed class EngineValidationTests
{
    [Fact]
    public async Task An_unknown_pipeline_is_rejected_naming_the_catalogued_ones_and_nothing_is_stored()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var error = await Assert.ThrowsAsync<UnknownPipelineException>(
            () => manager.StartAsync(new RunRequest("wordcount"), TestContext.Current.CancellationToken));

        Assert.Equal("wordcount", error.Name);
        Assert.Contains("succeed, fail, fail-after-finished", error.Message, StringComparison.Ordinal);
        Assert.Empty(manager.Query(new RunQuery()).Runs);
        Assert.Equal(0, h.Gate.Calls);
    }

    [Fact]
    public async Task Arguments_that_set_an_owned_option_are_rejected_and_nothing_is_stored()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var error = await Assert.ThrowsAsync<OwnedOptionException>(
            () => manager.StartAsync(new RunRequest("succeed", ["--job_name", "mine"]), TestContext.Current.CancellationToken));

        Assert.Equal("job_name", error.OptionName);
        Assert.Empty(manager.Query(new RunQuery()).Runs);
    }

    [Fact]
    public async Task An_argument_with_a_nul_character_is_rejected()
    {
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();

        var error = await Assert.ThrowsAsync<RunRequestException>(
            () => manager.StartAsync(new RunRequest("succeed", ["ok", "bad\0arg"]), TestContext.Current.CancellationToken));

        Assert.Contains("argument 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(manager.Query(new RunQuery()).Runs);
    }

    [Fact]
    public async Task A_configuration_that_cannot_launch_is_refused_before_anything_starts_naming_the_setting()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Options.JobEndpoint = null;

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => h.CreateManager());

        Assert.Contains("JobEndpoint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(Configuration.SubmitterOptions.Grace), "-1")]
    [InlineData(nameof(Configuration.SubmitterOptions.JobTimeout), "0")]
    [InlineData(nameof(Configuration.SubmitterOptions.ReadyTimeout), "0")]
    public async Task Bad_timings_are_refused_naming_the_setting(string setting, string seconds)
    {
        await using var h = await EngineHarness.StartAsync();
        var value = TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
        typeof(Configuration.SubmitterOptions).GetProperty(setting)!.SetValue(h.Options, value);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => h.CreateManager());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_flink_address_is_refused_naming_the_setting()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Options.FlinkRestUrl = "";

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => h.CreateManager());

        Assert.Contains("FlinkRestUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_version_is_refused_with_the_supported_choices()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Options.FlinkVersion = "1.16";

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => h.CreateManager());

        Assert.Contains("1.16", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_catalog_stops_the_manager_naming_the_problem()
    {
        await using var h = await EngineHarness.StartAsync();
        File.WriteAllText(h.Options.CatalogPath, """{ "pipelines": [ { "name": "x", "script": "succeed.py", "sript": "typo.py" } ] }""");

        var error = Assert.Throws<CatalogException>(() => h.CreateManager());

        Assert.Contains("\"sript\"", error.Message, StringComparison.Ordinal);
    }
}
