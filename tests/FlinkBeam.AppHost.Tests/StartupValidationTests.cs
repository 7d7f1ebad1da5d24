using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.AppHost.Tests;

/// <summary>Bad configuration stops the AppHost while the model is built, before any resource could start.</summary>
public sealed class StartupValidationTests
{
    private static async Task<TException> AppHostFailsWith<TException>(params string[] args)
        where TException : Exception
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var builder = await AppHostModel.CreateAsync(args);
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        });

        Assert.NotNull(error);
        // The entry point's exception may arrive wrapped by the testing host.
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is TException match)
            {
                return match;
            }
        }

        Assert.Fail($"Expected {typeof(TException).Name}, got: {error}");
        return null!;
    }

    [Theory]
    [InlineData("FlinkBeam:FlinkVersion=1.16", "2.77.0", "1.16", "3.12")]
    [InlineData("FlinkBeam:PythonVersion=3.9", "2.77.0", "1.20", "3.9")]
    [InlineData("FlinkBeam:BeamVersion=2.30.0", "2.30.0", "1.20", "3.12")]
    public async Task An_unsupported_version_combination_stops_the_AppHost_with_Clusters_message(
        string setting, string beam, string flink, string python)
    {
        var expected = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create(beam, flink, python));

        var actual = await AppHostFailsWith<UnsupportedVersionException>(setting);

        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public async Task An_AutoRun_pipeline_missing_from_the_catalog_stops_the_AppHost_naming_the_choices()
    {
        var error = await AppHostFailsWith<ArgumentException>("FlinkBeam:AutoRun:0=wordcont");

        Assert.Contains("FlinkBeam:AutoRun names 'wordcont'", error.Message, StringComparison.Ordinal);
        Assert.Contains("wordcount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_TaskManagers_stop_the_AppHost_with_Clusters_limit()
    {
        var error = await AppHostFailsWith<ArgumentException>($"FlinkBeam:TaskManagers={FlinkClusterSettings.MaxTaskManagers + 1}");

        Assert.Contains("TaskManagers", error.Message, StringComparison.Ordinal);
        Assert.Contains((FlinkClusterSettings.MaxTaskManagers + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_existing_cluster_URL_stops_the_AppHost_naming_the_setting_and_its_value()
    {
        var error = await AppHostFailsWith<ArgumentException>(
            "FlinkBeam:ExistingCluster:FlinkRestUrl=localhost:8081", "FlinkBeam:ExistingCluster:JobEndpoint=http://localhost:8099");

        Assert.Equal(
            "FlinkBeam:ExistingCluster:FlinkRestUrl 'localhost:8081' is not an absolute http:// or https:// URL; give it as e.g. http://localhost:8081.",
            error.Message);
    }

    [Theory]
    [InlineData("FlinkBeam:Pipelines=/no/such/folder", "FlinkBeam:Pipelines '/no/such/folder' is not a folder (/no/such/folder); give the folder that holds catalog.json, e.g. ../pipelines.")]
    [InlineData("FlinkBeam:PythonPath=/no/such/python", "FlinkBeam:PythonPath '/no/such/python' is not a file (/no/such/python); give a Python interpreter that has the cluster's apache-beam, or leave it unset for the pipelines' virtual environment.")]
    public async Task A_pipelines_folder_or_interpreter_that_is_not_there_stops_the_AppHost_naming_the_setting(string setting, string message)
    {
        var error = await AppHostFailsWith<ArgumentException>(setting);

        Assert.Equal(message, error.Message);
    }
}
