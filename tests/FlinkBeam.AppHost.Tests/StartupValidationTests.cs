using System.Diagnostics;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.AppHost.Tests;

/// <summary>
/// Bad configuration stops the AppHost while the model is built, before any resource could start: the AppHost itself, run
/// as a process as `dotnet run` runs it, writes one line naming the setting and exits with code 2, never a stack trace.
/// </summary>
public sealed class StartupValidationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>The AppHost's line on standard error, once it exited 2 with nothing else to say.</summary>
    private static async Task<string> AppHostFailsWith(params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppHostDirectory,
        };
        start.ArgumentList.Add(AppHostAssembly());
        foreach (var setting in settings)
        {
            start.ArgumentList.Add("--" + setting);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The AppHost did not stop within {Limit.TotalMinutes} minutes with {string.Join(' ', settings)}.");
        }

        var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}\n{await output}\n{await error}");
        var line = Assert.Single(lines);
        Assert.StartsWith("The AppHost cannot start: ", line, StringComparison.Ordinal);
        return line["The AppHost cannot start: ".Length..];
    }

    // The AppHost project's folder (its generated metadata names the project file, or its folder).
    private static string AppHostDirectory =>
        File.Exists(Projects.FlinkBeam_AppHost.ProjectPath) ? Path.GetDirectoryName(Projects.FlinkBeam_AppHost.ProjectPath)! : Projects.FlinkBeam_AppHost.ProjectPath;

    // The AppHost's build output, in the configuration these tests were built in (the test project references it).
    private static string AppHostAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var assembly = Path.Combine(AppHostDirectory, "bin", configuration, "net10.0", "FlinkBeam.AppHost.dll");
        Assert.True(File.Exists(assembly), $"no AppHost build at {assembly}");
        return assembly;
    }

    [Theory]
    [InlineData("FlinkBeam:FlinkVersion=1.16", "2.77.0", "1.16", "3.12")]
    [InlineData("FlinkBeam:PythonVersion=3.9", "2.77.0", "1.20", "3.9")]
    [InlineData("FlinkBeam:BeamVersion=2.30.0", "2.30.0", "1.20", "3.12")]
    public async Task An_unsupported_version_combination_stops_the_AppHost_with_Clusters_message(
        string setting, string beam, string flink, string python)
    {
        var expected = Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create(beam, flink, python));

        var actual = await AppHostFailsWith(setting);

        Assert.Equal(expected.Message, actual);
    }

    [Fact]
    public async Task An_AutoRun_pipeline_missing_from_the_catalog_stops_the_AppHost_naming_the_choices()
    {
        var error = await AppHostFailsWith("FlinkBeam:AutoRun:0=wordcont");

        Assert.Contains("FlinkBeam:AutoRun names 'wordcont'", error, StringComparison.Ordinal);
        Assert.Contains("wordcount", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_TaskManagers_stop_the_AppHost_with_Clusters_limit()
    {
        var error = await AppHostFailsWith($"FlinkBeam:TaskManagers={FlinkClusterSettings.MaxTaskManagers + 1}");

        Assert.Contains("TaskManagers", error, StringComparison.Ordinal);
        Assert.Contains((FlinkClusterSettings.MaxTaskManagers + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_existing_cluster_URL_stops_the_AppHost_naming_the_setting_and_its_value()
    {
        var error = await AppHostFailsWith(
            "FlinkBeam:ExistingCluster:FlinkRestUrl=localhost:8081", "FlinkBeam:ExistingCluster:JobEndpoint=http://localhost:8099");

        Assert.Equal(
            "FlinkBeam:ExistingCluster:FlinkRestUrl 'localhost:8081' is not an absolute http:// or https:// URL; give it as e.g. http://localhost:8081.",
            error);
    }

    [Theory]
    [InlineData("FlinkBeam:Pipelines=/no/such/folder", "FlinkBeam:Pipelines '/no/such/folder' is not a folder (/no/such/folder); give the folder that holds catalog.json, e.g. ../pipelines.")]
    [InlineData("FlinkBeam:PythonPath=/no/such/python", "FlinkBeam:PythonPath '/no/such/python' is not a file (/no/such/python); give a Python interpreter that has the cluster's apache-beam, or leave it unset for the pipelines' virtual environment.")]
    public async Task A_pipelines_folder_or_interpreter_that_is_not_there_stops_the_AppHost_naming_the_setting(string setting, string message)
    {
        var error = await AppHostFailsWith(setting);

        Assert.Equal(message, error);
    }

    [Fact]
    public async Task A_pipeline_named_like_another_resource_stops_the_AppHost_naming_both()
    {
        var folder = Directory.CreateTempSubdirectory("flinkbeam-clash-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "catalog.json"), """{"pipelines":[{"name":"flink_jobmanager","script":"job.py"}]}""");
            File.WriteAllText(Path.Combine(folder.FullName, "job.py"), "print('never run')\n");

            var error = await AppHostFailsWith(
                $"FlinkBeam:Pipelines={folder.FullName}", $"FlinkBeam:PythonPath={Environment.ProcessPath}", "FlinkBeam:AutoRun:0=");

            Assert.Contains("flink_jobmanager", error, StringComparison.Ordinal);
            Assert.Contains(ResourceNames.JobManager, error, StringComparison.Ordinal);
            Assert.EndsWith("rename the pipeline.", error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
