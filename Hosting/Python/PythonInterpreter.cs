using System.ComponentModel;
using System.Diagnostics;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>
/// The Python the pipelines' virtual environment will be made with: like Aspire's Python integration, <c>python3</c>
/// from PATH, else <c>python</c> (on Windows <c>py</c>, else <c>python</c>).
/// </summary>
internal static class PythonInterpreter
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The commands tried, in order.</summary>
    public static IReadOnlyList<string> Commands { get; } = OperatingSystem.IsWindows() ? ["py", "python"] : ["python3", "python"];

    /// <summary>The minor version of the first of <paramref name="commands"/> that runs, with the command; null when none runs.</summary>
    public static (string Command, MinorVersion Version)? Probe(IReadOnlyList<string> commands)
    {
        foreach (var command in commands)
        {
            if (MinorOf(command) is { } version)
            {
                return (command, version);
            }
        }

        return null;
    }

    private static MinorVersion? MinorOf(string command)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; print('%d.%d' % sys.version_info[:2])");
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 && MinorVersion.TryParse(output.GetAwaiter().GetResult().Trim(), out var version) ? version : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
