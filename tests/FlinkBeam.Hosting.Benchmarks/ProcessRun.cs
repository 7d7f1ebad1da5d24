using System.Diagnostics;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>Child processes of the benchmark: run to the end, or keep their output in a file while they run.</summary>
internal static class ProcessRun
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string command, IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{command} did not finish within {limit.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task DrainToFileAsync(Process process, string path)
    {
        await using var file = new StreamWriter(path);
        async Task Copy(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (file)
                {
                    file.WriteLine(line);
                }
            }
        }

        await Task.WhenAll(Copy(process.StandardOutput), Copy(process.StandardError));
    }
}
