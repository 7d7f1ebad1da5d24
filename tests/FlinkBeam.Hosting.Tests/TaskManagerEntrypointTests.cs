using System.Diagnostics;
using System.Globalization;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The TaskManager image's entrypoint, run for real with bash. Stand-in scripts play the Beam boot program, both styles of
/// Flink entrypoint (one that starts as root and steps down itself, one that runs as flink already), the TaskManager and
/// gosu (which switches users for real with setpriv and records what it was asked): so the supervision (both start, either
/// exiting stops the other), which user runs each process, and who owns the files they write are what is tested. The
/// user switches need root, as the entrypoint has in the container.
/// </summary>
public sealed class TaskManagerEntrypointTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>"nobody" plays Flink's user: Debian and most Linux images have it, with uid and gid 65534.</summary>
    private const string FlinkUser = "65534";

    /// <summary>A host user that exists nowhere in /etc/passwd, as a host's uid need not in the container.</summary>
    private const string HostUser = "4321";

    private readonly string _folder = Directory.CreateTempSubdirectory("flinkbeam-entrypoint-").FullName;

    public TaskManagerEntrypointTests()
    {
        // Every stand-in writes its markers here, whichever user runs it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_111);
        }

        Directory.CreateDirectory(Outputs);
        Directory.CreateDirectory(Path.Combine(_folder, "bin"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Marker(string name) => Path.Combine(_folder, name);

    private string Checkpoints => Path.Combine(_folder, "checkpoints");

    private string Outputs => Path.Combine(_folder, "outputs");

    private string Venvs => Path.Combine(_folder, "venvs");

    /// <summary>The uid and gid of "nobody", which the checkpoints folder is handed to.</summary>
    private const int CheckpointsOwner = 65534;

    private static string Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    private static string Owner(string path) => Run("stat", "-c", "%u:%g", path);

    private static string Mode(string path) => Run("stat", "-c", "%a", path);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return path;
    }

    /// <summary>
    /// The end of a stand-in: once ready for signals it records who runs it and its arguments, then either sleeps until
    /// SIGTERM (recording it) or, once its peer is ready too, exits with the given status.
    /// </summary>
    private string Lifetime(string name, string peer, int? exitStatus) => exitStatus is { } status
        ? $$"""
            echo "$(id -u):$(id -g) $@" > "{{Marker(name + ".args")}}"
            while [ ! -e "{{Marker(peer + ".args")}}" ]; do sleep 0.05; done
            exit {{status}}
            """
        : $$"""
            sleep 60 &
            sleeper=$!
            trap 'echo term > "{{Marker(name + ".term")}}"; kill $sleeper; exit 0' TERM
            echo "$(id -u):$(id -g) $@" > "{{Marker(name + ".args")}}"
            wait $sleeper
            """;

    /// <summary>Beam's boot as the worker pool: its SDK workers make a venv and write pipeline output, as whoever runs it.</summary>
    private string Boot(int? exitStatus = null) => Script("boot", $$"""
        mkdir -p "{{Venvs}}/beam-venv-worker-1" "{{Outputs}}/wordcount/run-1" && echo "word: 1" > "{{Outputs}}/wordcount/run-1/counts-00000"
        {{Lifetime("boot", "taskmanager", exitStatus)}}
        """);

    /// <summary>The TaskManager; in Process environment it is what runs the SDK harness, so it writes output too.</summary>
    private string TaskManager(int? exitStatus = null) => Script("taskmanager", $$"""
        mkdir -p "{{Outputs}}/process-run" && echo "word: 1" > "{{Outputs}}/process-run/counts-00000"
        {{Lifetime("taskmanager", "boot", exitStatus)}}
        """);

    /// <summary>
    /// The Flink image's entrypoint, in one of its two styles: up to Flink 2.1 it steps down with gosu when started as root;
    /// from 2.2 it runs as whoever started it (its image says USER flink).
    /// </summary>
    private string FlinkEntrypoint(bool stepsDown, int? exitStatus = null)
    {
        var taskManager = TaskManager(exitStatus);
        var stepDown = stepsDown ? $"""if [ "$(id -u)" = 0 ]; then exec gosu {FlinkUser} "{taskManager}" "$@"; fi""" : "";
        return Script("flink-entrypoint", $$"""
            echo "$(id -u):$(id -g) $@" > "{{Marker("flink-entrypoint.args")}}"
            {{stepDown}}
            exec "{{taskManager}}" "$@"
            """);
    }

    /// <summary>gosu on PATH: records "caller-uid spec command..." and becomes that user for real.</summary>
    private void Gosu() => File.Move(Script("gosu-standin", $$"""
        spec=$1; shift
        echo "$(id -u) $spec $*" >> "{{Marker("gosu.log")}}"
        user=${spec%%:*}; group=${spec#*:}
        if [[ "$user" =~ ^[0-9]+$ ]]; then uid=$user; else uid=$(id -u "$user"); fi
        if [ "$group" = "$spec" ]; then gid=$(id -g "$user" 2>/dev/null || echo "$uid"); else gid=$group; fi
        exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@"
        """), Path.Combine(_folder, "bin", "gosu"));

    private Process Start(string boot, string flinkEntrypoint, bool stepsDown = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        Gosu();
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true };
        start.ArgumentList.Add(TaskManagerImage.Entrypoint);
        start.ArgumentList.Add("taskmanager");
        start.Environment["BEAM_BOOT"] = boot;
        start.Environment["FLINK_ENTRYPOINT"] = flinkEntrypoint;
        start.Environment["FLINKBEAM_FLINK_ENTRYPOINT_STEPS_DOWN"] = stepsDown ? "true" : "false";
        start.Environment["FLINKBEAM_FLINK_USER"] = FlinkUser;
        start.Environment["PATH"] = Path.Combine(_folder, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        // Never the host's /checkpoints, /outputs or /opt/apache/beam-venv: folders of the test's.
        start.Environment["FLINKBEAM_CHECKPOINTS"] = Checkpoints;
        start.Environment["FLINKBEAM_CHECKPOINTS_OWNER"] = $"{CheckpointsOwner}:{CheckpointsOwner}";
        start.Environment["FLINKBEAM_OUTPUTS"] = Outputs;
        start.Environment["FLINKBEAM_BEAM_VENVS"] = Venvs;
        start.Environment.Remove("FLINKBEAM_UID");
        start.Environment.Remove("FLINKBEAM_GID");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

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

    /// <summary>Waits until both stand-ins run, then stops the container; returns what it printed on stderr.</summary>
    private async Task<string> RunUntilBothStarted(Process process)
    {
        await WaitForFile(Marker("boot.args"));
        await WaitForFile(Marker("taskmanager.args"));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        return (await Finish(process)).Errors;
    }

    private static async Task<(int ExitCode, string Errors)> Finish(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Generous);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await errors);
    }

    /// <summary>Who ran a stand-in ("uid:gid") and its arguments.</summary>
    private (string User, string Arguments) Ran(string name)
    {
        var text = File.ReadAllText(Marker(name + ".args")).Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..]);
    }

    private List<string> GosuCalls() => File.Exists(Marker("gosu.log")) ? File.ReadAllLines(Marker("gosu.log")).ToList() : [];

    private static void SkipWithoutBash()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The entrypoint is a bash script for a Linux image; these tests run it on Linux and macOS.");
        }
    }

    private static void SkipUnlessRoot()
    {
        SkipWithoutBash();
        if (Run("id", "-u") != "0")
        {
            Assert.Skip("Switching users and owners needs root, as the entrypoint has in the container; these tests run as another user.");
        }
    }

    [Fact]
    public async Task Starts_the_worker_pool_and_passes_the_command_to_the_Flink_entrypoint()
    {
        SkipWithoutBash();
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true));

        await RunUntilBothStarted(process);

        Assert.Equal("--worker_pool", Ran("boot").Arguments);
        Assert.Equal("taskmanager", Ran("flink-entrypoint").Arguments);
        Assert.Equal("taskmanager", Ran("taskmanager").Arguments);
    }

    [Fact]
    public async Task When_the_worker_pool_dies_the_TaskManager_is_stopped_and_the_container_exits_with_its_status()
    {
        SkipWithoutBash();
        using var process = Start(Boot(exitStatus: 3), FlinkEntrypoint(stepsDown: true));

        var (exitCode, errors) = await Finish(process);

        Assert.Equal(3, exitCode);
        Assert.True(File.Exists(Marker("taskmanager.term")), "the TaskManager stand-in did not receive SIGTERM");
        Assert.Contains("the Beam worker pool exited with status 3", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_TaskManager_ends_even_cleanly_the_worker_pool_is_stopped_and_the_exit_is_a_failure()
    {
        SkipWithoutBash();
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: false, exitStatus: 0), stepsDown: false);

        var (exitCode, errors) = await Finish(process);

        Assert.Equal(1, exitCode);
        Assert.True(File.Exists(Marker("boot.term")), "the worker pool stand-in did not receive SIGTERM");
        Assert.Contains("the Flink TaskManager exited with status 0", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SIGTERM_to_the_container_reaches_both_processes_whoever_runs_them(bool stepsDown)
    {
        SkipWithoutBash();
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown), stepsDown, new Dictionary<string, string> { ["FLINKBEAM_UID"] = HostUser, ["FLINKBEAM_GID"] = HostUser });

        await WaitForFile(Marker("boot.args"));
        await WaitForFile(Marker("taskmanager.args"));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var (exitCode, _) = await Finish(process);

        Assert.Equal(143, exitCode);
        Assert.True(File.Exists(Marker("boot.term")), "the worker pool stand-in did not receive SIGTERM");
        Assert.True(File.Exists(Marker("taskmanager.term")), "the TaskManager stand-in did not receive SIGTERM");
    }

    [Fact]
    public async Task A_Flink_entrypoint_that_steps_down_itself_is_started_as_root_and_the_TaskManager_runs_as_flink()
    {
        SkipUnlessRoot();
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true), stepsDown: true);

        await RunUntilBothStarted(process);

        Assert.Equal("0:0", Ran("flink-entrypoint").User);
        Assert.Equal($"{FlinkUser}:{FlinkUser}", Ran("taskmanager").User);
        Assert.Contains(GosuCalls(), call => call.StartsWith($"0 {FlinkUser} ", StringComparison.Ordinal) && call.EndsWith("taskmanager", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Flink_entrypoint_that_expects_to_run_as_flink_is_started_as_flink()
    {
        SkipUnlessRoot();
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: false), stepsDown: false);

        await RunUntilBothStarted(process);

        Assert.Equal($"{FlinkUser}:{FlinkUser}", Ran("flink-entrypoint").User);
        Assert.Equal($"{FlinkUser}:{FlinkUser}", Ran("taskmanager").User);
        Assert.Contains($"0 {FlinkUser} {Marker("flink-entrypoint")} taskmanager", GosuCalls());
    }

    [Fact]
    public async Task The_worker_pool_runs_as_the_given_host_user_and_its_files_in_outputs_belong_to_that_user()
    {
        SkipUnlessRoot();
        // As the AppHost makes it: the host user's folder, bind-mounted.
        Run("chown", $"{HostUser}:{HostUser}", Outputs);
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true), environment: new Dictionary<string, string>
        {
            ["FLINKBEAM_UID"] = HostUser,
            ["FLINKBEAM_GID"] = HostUser,
        });

        var errors = await RunUntilBothStarted(process);

        Assert.Equal($"{HostUser}:{HostUser}", Ran("boot").User);
        Assert.Equal($"{HostUser}:{HostUser}", Owner(Path.Combine(Outputs, "wordcount")));
        Assert.Equal($"{HostUser}:{HostUser}", Owner(Path.Combine(Outputs, "wordcount", "run-1", "counts-00000")));
        // Group-writable, so a run of the other environment can add to what this one made.
        Assert.Equal("775", Mode(Path.Combine(Outputs, "wordcount")));
        Assert.Equal("664", Mode(Path.Combine(Outputs, "wordcount", "run-1", "counts-00000")));
        // Beam's venv folder takes venvs of either user, like /tmp.
        Assert.Equal("1777", Mode(Venvs));
        Assert.Equal($"{HostUser}:{HostUser}", Owner(Path.Combine(Venvs, "beam-venv-worker-1")));
        Assert.Contains($"run as uid {HostUser}, gid {HostUser} (FLINKBEAM_UID/FLINKBEAM_GID)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_given_ids_the_worker_pool_runs_as_the_owner_of_the_outputs_folder()
    {
        SkipUnlessRoot();
        Run("chown", "4322:4323", Outputs);
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: false), stepsDown: false);

        var errors = await RunUntilBothStarted(process);

        Assert.Equal("4322:4323", Ran("boot").User);
        Assert.Equal("4322:4323", Owner(Path.Combine(Outputs, "wordcount", "run-1", "counts-00000")));
        Assert.Contains($"(the owner of {Outputs})", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_root_owned_outputs_folder_and_no_ids_give_the_worker_pool_to_flink_never_to_root()
    {
        SkipUnlessRoot();
        Assert.Equal("0:0", Owner(Outputs));
        Run("chmod", "777", Outputs);
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true));

        var errors = await RunUntilBothStarted(process);

        Assert.Equal($"{FlinkUser}:{FlinkUser}", Ran("boot").User);
        Assert.Contains("belongs to root or is missing, and no FLINKBEAM_UID/FLINKBEAM_GID was given", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_environment_runs_the_TaskManager_with_the_outputs_group_so_its_files_are_the_host_users_to_delete()
    {
        SkipUnlessRoot();
        Run("chown", $"{HostUser}:{HostUser}", Outputs);
        Run("chmod", "755", Outputs);
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true), stepsDown: true, new Dictionary<string, string>
        {
            ["FLINKBEAM_SDK_ENVIRONMENT"] = "Process",
        });

        var errors = await RunUntilBothStarted(process);

        // flink as the user (so it keeps the checkpoints volume it shares with the JobManager), the folder's group as its group.
        Assert.Equal($"{FlinkUser}:{HostUser}", Ran("taskmanager").User);
        Assert.Equal($"{FlinkUser}:{HostUser}", Ran("flink-entrypoint").User);
        Assert.Equal("775", Mode(Outputs));
        var written = Path.Combine(Outputs, "process-run", "counts-00000");
        Assert.Equal($"{FlinkUser}:{HostUser}", Owner(written));
        Assert.Equal("664", Mode(written));
        Assert.Equal("775", Mode(Path.Combine(Outputs, "process-run")));
        Assert.Contains($"files in {Outputs} belong to {FlinkUser} and group {HostUser}, group-writable", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4321", "")]
    [InlineData("", "4321")]
    [InlineData("me", "4321")]
    [InlineData("4321", "-1")]
    public async Task Half_given_or_non_numeric_ids_stop_the_container_before_anything_starts(string uid, string gid)
    {
        SkipUnlessRoot();
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true), environment: new Dictionary<string, string>
        {
            ["FLINKBEAM_UID"] = uid,
            ["FLINKBEAM_GID"] = gid,
        });

        var (exitCode, errors) = await Finish(process);

        Assert.Equal(2, exitCode);
        Assert.Contains($"FLINKBEAM_UID '{uid}' and FLINKBEAM_GID '{gid}' must both be numeric ids", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Marker("boot.args")), "the worker pool started");
        Assert.False(File.Exists(Marker("flink-entrypoint.args")), "Flink started");
    }

    [Theory]
    [InlineData("FLINKBEAM_SDK_ENVIRONMENT", "Docker", "expected External or Process")]
    [InlineData("FLINKBEAM_FLINK_ENTRYPOINT_STEPS_DOWN", "yes", "expected true or false")]
    public async Task An_unknown_setting_value_stops_the_container_naming_it(string key, string value, string expected)
    {
        SkipWithoutBash();
        var environment = new Dictionary<string, string> { [key] = value };
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true), environment: environment);

        var (exitCode, errors) = await Finish(process);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{key} is '{value}'; {expected}", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Marker("boot.args")), "the worker pool started");
    }

    [Fact]
    public async Task A_root_owned_checkpoints_folder_is_given_to_Flinks_user_before_Flink_starts()
    {
        SkipUnlessRoot();
        Directory.CreateDirectory(Checkpoints);
        Assert.Equal("0", Run("stat", "-c", "%u", Checkpoints));
        using var process = Start(Boot(), FlinkEntrypoint(stepsDown: true));

        await RunUntilBothStarted(process);

        Assert.Equal($"{CheckpointsOwner}:{CheckpointsOwner}", Owner(Checkpoints));
    }
}
