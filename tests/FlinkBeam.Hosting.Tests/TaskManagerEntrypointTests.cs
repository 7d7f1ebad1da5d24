using System.Diagnostics;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The TaskManager image's entrypoint, run for real with bash; stand-in scripts play the Beam boot program and the
/// Flink entrypoint, so the supervision (both start, either exiting stops the other) is what is tested.
/// </summary>
public sealed class TaskManagerEntrypointTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("flinkbeam-entrypoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Marker(string name) => Path.Combine(_folder, name);

    private string Checkpoints => Path.Combine(_folder, "checkpoints");

    /// <summary>The uid and gid of "nobody", which Debian and most Linux images have.</summary>
    private const int CheckpointsOwner = 65534;

    private static string Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    /// <summary>
    /// A stand-in process that records its arguments once it is ready for signals, then either sleeps until SIGTERM
    /// (recording it) or, once its peer is ready too, exits with the given status.
    /// </summary>
    private string StandIn(string name, string peer, int? exitStatus)
    {
        var path = Path.Combine(_folder, name);
        // The sleeping stand-in ends its sleep on SIGTERM, so no orphan keeps the entrypoint's stderr open.
        var body = exitStatus is { } status
            ? $$"""
                echo "$@" > "{{Marker(name + ".args")}}"
                while [ ! -e "{{Marker(peer + ".args")}}" ]; do sleep 0.05; done
                exit {{status}}
                """
            : $$"""
                sleep 60 &
                sleeper=$!
                trap 'echo term > "{{Marker(name + ".term")}}"; kill $sleeper; exit 0' TERM
                echo "$@" > "{{Marker(name + ".args")}}"
                wait $sleeper
                """;
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private string Boot(int? exitStatus = null) => StandIn("boot", "flink", exitStatus);

    private string Flink(int? exitStatus = null) => StandIn("flink", "boot", exitStatus);

    private Process Start(string boot, string flink)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true };
        start.ArgumentList.Add(TaskManagerImage.Entrypoint);
        start.ArgumentList.Add("taskmanager");
        start.Environment["BEAM_BOOT"] = boot;
        start.Environment["FLINK_ENTRYPOINT"] = flink;
        // Never the host's /checkpoints: a folder of the test's, handed to the owner the test chooses.
        start.Environment["FLINKBEAM_CHECKPOINTS"] = Checkpoints;
        start.Environment["FLINKBEAM_CHECKPOINTS_OWNER"] = $"{CheckpointsOwner}:{CheckpointsOwner}";
        return Process.Start(start)!;
    }

    private async Task WaitForFile(string path)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Generous);
        while (!File.Exists(path))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task<(int ExitCode, string Errors)> Finish(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Generous);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await errors);
    }

    private static void SkipWithoutBash()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The entrypoint is a bash script for a Linux image; these tests run it on Linux and macOS.");
        }
    }

    [Fact]
    public async Task Starts_the_worker_pool_and_passes_the_command_to_the_Flink_entrypoint()
    {
        SkipWithoutBash();
        using var process = Start(Boot(), Flink());

        await WaitForFile(Marker("boot.args"));
        await WaitForFile(Marker("flink.args"));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("--worker_pool", File.ReadAllText(Marker("boot.args")).Trim());
        Assert.Equal("taskmanager", File.ReadAllText(Marker("flink.args")).Trim());
    }

    [Fact]
    public async Task When_the_worker_pool_dies_the_TaskManager_is_stopped_and_the_container_exits_with_its_status()
    {
        SkipWithoutBash();
        using var process = Start(Boot(exitStatus: 3), Flink());

        var (exitCode, errors) = await Finish(process);

        Assert.Equal(3, exitCode);
        Assert.True(File.Exists(Marker("flink.term")), "the TaskManager stand-in did not receive SIGTERM");
        Assert.Contains("the Beam worker pool exited with status 3", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_TaskManager_ends_even_cleanly_the_worker_pool_is_stopped_and_the_exit_is_a_failure()
    {
        SkipWithoutBash();
        using var process = Start(Boot(), Flink(exitStatus: 0));

        var (exitCode, errors) = await Finish(process);

        Assert.Equal(1, exitCode);
        Assert.True(File.Exists(Marker("boot.term")), "the worker pool stand-in did not receive SIGTERM");
        Assert.Contains("the Flink TaskManager exited with status 0", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_to_the_container_reaches_both_processes()
    {
        SkipWithoutBash();
        using var process = Start(Boot(), Flink());
        await WaitForFile(Marker("boot.args"));
        await WaitForFile(Marker("flink.args"));

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var (exitCode, _) = await Finish(process);

        Assert.Equal(143, exitCode);
        Assert.True(File.Exists(Marker("boot.term")), "the worker pool stand-in did not receive SIGTERM");
        Assert.True(File.Exists(Marker("flink.term")), "the TaskManager stand-in did not receive SIGTERM");
    }

    [Fact]
    public async Task A_root_owned_checkpoints_folder_is_given_to_Flinks_user_before_Flink_starts()
    {
        SkipWithoutBash();
        if (Run("id", "-u") != "0")
        {
            Assert.Skip("Changing a folder's owner needs root, as the entrypoint has in the container; these tests run as another user.");
        }

        Directory.CreateDirectory(Checkpoints);
        Assert.Equal("0", Run("stat", "-c", "%u", Checkpoints));
        using var process = Start(Boot(), Flink());
        await WaitForFile(Marker("flink.args"));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"{CheckpointsOwner}:{CheckpointsOwner}", Run("stat", "-c", "%u:%g", Checkpoints));
    }
}
