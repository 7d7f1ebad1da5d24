using System.ComponentModel;
using System.Diagnostics;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.AppHost.Tests;

/// <summary>What the end-to-end test needs from the machine, checked with real child processes.</summary>
internal static class EndToEndPrerequisites
{
    /// <summary>Null when a Docker engine answers and python3 matches the configured Python; otherwise why not.</summary>
    public static async Task<string?> MissingAsync(CancellationToken cancellationToken)
    {
        var docker = await RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], cancellationToken);
        if (docker.ExitCode != 0)
        {
            return $"No Docker engine answers `docker info` ({docker.Output.Trim()}); the end-to-end test needs one.";
        }

        // Aspire creates the pipelines' venv with this interpreter, and the AppHost takes its minor version as the cluster's.
        var python = OperatingSystem.IsWindows() ? "python" : "python3";
        var version = await RunAsync(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], cancellationToken);
        if (version.ExitCode != 0)
        {
            return $"`{python}` does not run ({version.Output.Trim()}); the pipelines' venv needs it.";
        }

        var row = CompatibilityMatrix.Require(BeamVersion.Parse(VersionDefaults.Beam));
        if (!MinorVersion.TryParse(version.Output.Trim(), out var minor) || !row.SupportsPython(minor))
        {
            return $"`{python}` is Python {version.Output.Trim()}, which Beam {VersionDefaults.Beam} does not support ({row.PythonRange}).";
        }

        return null;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        }
        catch (Win32Exception e)
        {
            return (-1, $"{command} not found: {e.Message}");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{command} did not answer within 30 s");
            }

            return (process.ExitCode, process.ExitCode == 0 ? await output : await errors);
        }
    }
}
