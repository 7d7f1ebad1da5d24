using System.Diagnostics;

namespace FlinkBeam.Hosting.Tests;

/// <summary>Real venvs made by the machine's Python, finished and stopped half-way.</summary>
public sealed class VirtualEnvironmentFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fb-venv-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_finished_venv_is_kept()
    {
        var venv = MakeVenv("--without-pip");

        Assert.False(VirtualEnvironmentFolder.IsUnfinished(venv));
        Assert.False(VirtualEnvironmentFolder.RemoveIfUnfinished(venv));
        Assert.True(File.Exists(Path.Combine(venv, "pyvenv.cfg")));
    }

    [Fact]
    public void A_venv_whose_creation_stopped_before_its_scripts_is_removed()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The venv's scripts are in Scripts\\ on Windows; this test deletes them from bin/.");
        var venv = MakeVenv("--without-pip");
        // What an interrupted `python -m venv` leaves: the configuration and interpreter, not the scripts written last.
        foreach (var script in Directory.GetFiles(Path.Combine(venv, "bin"), "activate*"))
        {
            File.Delete(script);
        }

        Assert.True(VirtualEnvironmentFolder.IsUnfinished(venv));
        Assert.True(VirtualEnvironmentFolder.RemoveIfUnfinished(venv));
        Assert.False(Directory.Exists(venv));
    }

    [Fact]
    public void A_missing_folder_and_a_folder_that_is_no_venv_are_left_alone()
    {
        var missing = Path.Combine(_root, "missing");
        var other = Directory.CreateDirectory(Path.Combine(_root, "other")).FullName;
        File.WriteAllText(Path.Combine(other, "keep.txt"), "user data");

        Assert.False(VirtualEnvironmentFolder.RemoveIfUnfinished(missing));
        Assert.False(VirtualEnvironmentFolder.RemoveIfUnfinished(other));
        Assert.True(File.Exists(Path.Combine(other, "keep.txt")));
    }

    private string MakeVenv(string option)
    {
        var venv = Path.Combine(_root, ".venv");
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-m", "venv", option, venv })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 -m venv failed: {stderr}");
        return venv;
    }
}
