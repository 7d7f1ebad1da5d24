using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace FlinkBeam.Testing;

/// <summary>
/// The real Submitter as a child process (<see cref="SubmitterCommand"/>: the build output or the native executable),
/// with its stdout and stderr captured and POSIX signals delivered by kill(2).
/// </summary>
public sealed class SubmitterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private SubmitterProcess(Process process)
    {
        _process = process;
    }


    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get { lock (_lock) { return _stdout.ToString(); } }
    }

    public string Stderr
    {
        get { lock (_lock) { return _stderr.ToString(); } }
    }

    /// <summary>Starts the Submitter (<paramref name="command"/>, else <see cref="SubmitterCommand.Default"/>) with <paramref name="args"/>.</summary>
    public static SubmitterProcess Start(
        IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null, SubmitterCommand? command = null)
    {
        command ??= SubmitterCommand.Default;
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var arg in command.LeadingArguments)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No OTLP export and no console colours from the child, whatever the test runner's environment says.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var wrapper = new SubmitterProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(wrapper._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(wrapper._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        await using var process = Start(args, workingDirectory);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        return (exitCode, process.Stdout, process.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The Submitter did not exit within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        // WaitForExitAsync also waits for the end of the redirected streams, so the output is complete here.
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of stdout or stderr satisfies <paramref name="match"/>; returns it.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            var line = (Stdout + "\n" + Stderr).Split('\n').FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Submitter exited ({_process.ExitCode}) first.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            try
            {
                await Task.Delay(20, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching output within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }
        }
    }

    public void Signal(PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        };
        if (Kill(_process.Id, number) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {number}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Kills the Submitter alone (SIGKILL), as a crash would: the clients it started live on as orphans.</summary>
    public async Task CrashAsync(CancellationToken cancellationToken)
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(cancellationToken);
    }

    public static bool IsAlive(int pid)
    {
        // Signal 0 checks existence; a zombie still counts, so look at its state as well.
        if (Kill(pid, 0) != 0)
        {
            return false;
        }

        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
