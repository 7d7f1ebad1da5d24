using Aspire.Hosting;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// <c>LoadFlinkBeamSettings</c>: the Python version follows the Python the pipelines' venv is made with, and when the two
/// cannot agree one sentence says why. Stand-in interpreters are real executables that print a chosen version.
/// </summary>
public sealed class LoadFlinkBeamSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flinkbeam-python-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>An executable that answers the version question like <c>python3 -c ...</c> would.</summary>
    private string Python(string version)
    {
        var path = Path.Combine(_folder, $"python{version}");
        File.WriteAllText(path, $"#!/bin/sh\necho {version}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static IDistributedApplicationBuilder Builder(params string[] settings) =>
        DistributedApplication.CreateBuilder(settings.Select(s => $"--FlinkBeam:{s}").ToArray());

    [Fact]
    public void Without_a_configured_Python_the_one_on_PATH_is_the_default_and_the_SDK_image_follows()
    {
        var settings = Builder().LoadFlinkBeamSettings(new PythonOnPathProbe([Python("3.11")]));

        Assert.Equal("3.11", settings.Versions.Python.ToString());
        Assert.Equal("apache/beam_python3.11_sdk", ClusterImages.PythonSdk(settings.Versions).Image);
    }

    [Fact]
    public void The_real_python3_here_becomes_the_default_when_Beam_supports_it()
    {
        var settings = Builder().LoadFlinkBeamSettings();

        Assert.Equal(FakePipelineFiles.RealPythonMinor, settings.Versions.Python.ToString());
    }

    [Fact]
    public void A_probe_started_before_the_builder_gives_the_same_default()
    {
        var python = new PythonOnPathProbe([Python("3.12")]);
        var settings = Builder().LoadFlinkBeamSettings(python);

        Assert.Equal("3.12", settings.Versions.Python.ToString());
    }

    [Fact]
    public void A_configured_Python_wins_over_the_one_on_PATH()
    {
        var settings = Builder("PythonVersion=3.12").LoadFlinkBeamSettings(new PythonOnPathProbe([Python("3.11")]));

        Assert.Equal("3.12", settings.Versions.Python.ToString());
    }

    [Fact]
    public void A_Python_the_Beam_release_does_not_support_leaves_the_default_and_says_so()
    {
        var found = (Python("3.8"), MinorVersion.Parse("3.8", "Python"));

        var choice = PythonVersionChoice.Make("2.77.0", null, found);

        Assert.Null(choice.Version);
        Assert.Equal(
            $"`{found.Item1}` is Python 3.8, which Beam 2.77.0 does not support (it supports 3.10 to 3.14): the pipelines' environment check will fail until a supported Python comes first on PATH; FlinkBeam:PythonVersion then follows it by itself.",
            choice.Warning);
        Assert.Equal(VersionDefaults.Python, Builder().LoadFlinkBeamSettings(new PythonOnPathProbe([found.Item1])).Versions.Python.ToString());
    }

    [Fact]
    public void No_Python_at_all_is_one_sentence_naming_the_versions_to_install()
    {
        var choice = PythonVersionChoice.Make(null, null, PythonInterpreter.Probe([Path.Combine(_folder, "no-such-python")]));

        Assert.Null(choice.Version);
        Assert.Equal(
            "No Python on PATH (python3, python): the pipelines' virtual environment cannot be made; install Python 3.10 to 3.14 (what Beam 2.77.0 supports) and start the AppHost again.",
            choice.Warning);
    }

    [Fact]
    public void A_configured_Python_other_than_the_one_on_PATH_is_named_with_both_versions()
    {
        var python = Python("3.11");

        var choice = PythonVersionChoice.Make("2.77.0", "3.12", PythonInterpreter.Probe([python]));

        Assert.Null(choice.Version);
        Assert.Equal(
            $"FlinkBeam:PythonVersion is 3.12, but the pipelines' virtual environment is made with `{python}`, which is Python 3.11: its environment check will fail until Python 3.12 comes first on PATH as `{python}` (or remove the setting to use 3.11).",
            choice.Warning);
    }

    [Fact]
    public void The_probe_takes_the_first_command_that_runs()
    {
        var found = PythonInterpreter.Probe([Path.Combine(_folder, "missing"), Python("3.13"), Python("3.10")]);

        Assert.NotNull(found);
        Assert.Equal("3.13", found.Value.Version.ToString());
    }

    [Fact]
    public void Bad_versions_still_stop_with_Clusters_message()
    {
        var error = Assert.Throws<UnsupportedVersionException>(() => Builder("FlinkVersion=1.16").LoadFlinkBeamSettings(new PythonOnPathProbe([Python("3.11")])));

        Assert.Equal(Assert.Throws<UnsupportedVersionException>(() => VersionSet.Create("2.77.0", "1.16", "3.11")).Message, error.Message);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("5080", 5080)]
    public void The_Submitter_port_is_a_free_one_unless_configured(string? value, int? port)
    {
        Assert.Equal(port, (value is null ? Builder() : Builder($"SubmitterPort={value}")).LoadSubmitterPort());
    }

    [Theory]
    [InlineData("http")]
    [InlineData("0")]
    [InlineData("70000")]
    public void A_bad_Submitter_port_is_one_sentence_naming_the_setting_and_value(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Builder($"SubmitterPort={value}").LoadSubmitterPort());

        Assert.Equal($"FlinkBeam:SubmitterPort '{value}' is not a port number between 1 and 65535, e.g. 5080.", error.Message);
    }
}
