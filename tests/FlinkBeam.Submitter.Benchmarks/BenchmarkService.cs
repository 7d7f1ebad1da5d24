using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// The real service (<c>Submitter serve</c>) as a child process against the loopback cluster, on a free loopback port
/// and a data directory of the benchmark's choosing: its HTTP client, and its memory and CPU time as /proc reports them.
/// </summary>
internal sealed class BenchmarkService : IAsyncDisposable
{
    private BenchmarkService(SubmitterProcess process, string url, long startedAt)
    {
        Process = process;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        StartedAt = startedAt;
    }

    public SubmitterProcess Process { get; }

    public HttpClient Http { get; }

    /// <summary>When the process was started (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt { get; }

    /// <summary>Starts <c>Submitter serve</c> (<paramref name="command"/>) on <paramref name="dataDirectory"/>, with the cluster's settings.</summary>
    public static BenchmarkService Start(LoopbackCluster cluster, string dataDirectory, SubmitterCommand command)
    {
        var url = $"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}";
        var environment = cluster.ServiceEnvironment();
        environment["Submitter__DataDirectory"] = dataDirectory;
        var startedAt = Stopwatch.GetTimestamp();
        var process = SubmitterProcess.Start(["serve", $"--urls={url}", .. LoopbackCluster.AsCommandLine(environment)], command: command);
        return new BenchmarkService(process, url, startedAt);
    }

    /// <summary>Polls <paramref name="path"/> every few milliseconds until it answers 200; returns the time since the start, in seconds.</summary>
    public async Task<double> UntilOkAsync(string path, CancellationToken ct)
    {
        await UntilAsync(async () => await StatusAsync(path, ct).ConfigureAwait(false) == HttpStatusCode.OK, $"{path} answers 200", ct, pause: 5)
            .ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(StartedAt).TotalSeconds;
    }

    public async Task<HttpStatusCode?> StatusAsync(string path, CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(path, ct).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; the benchmark breaks when the service exits first or it takes too long.</summary>
    public async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct, int pause = 20)
    {
        var deadline = DateTime.UtcNow + BenchmarkSetup.Patience;
        while (!await condition().ConfigureAwait(false))
        {
            if (Process.HasExited)
            {
                throw new BenchmarkBrokeException($"'Submitter serve' exited before {what}.\n{Process.Stdout}\n{Process.Stderr}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkBrokeException($"Waited {BenchmarkSetup.Patience.TotalSeconds} s in vain until {what}.\n{Process.Stdout}\n{Process.Stderr}");
            }

            await Task.Delay(pause, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Lets the service idle for <paramref name="settle"/>, then takes the median of five VmRSS readings 100 ms apart, in MB.</summary>
    public async Task<double> SettledRssAsync(TimeSpan settle, CancellationToken ct)
    {
        await Task.Delay(settle, ct).ConfigureAwait(false);
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(StatusMegabytes("VmRSS"));
            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    /// <summary>A "kB" line of /proc/&lt;pid&gt;/status (VmRSS, VmHWM), in MB (MiB).</summary>
    public double StatusMegabytes(string field)
    {
        var line = File.ReadLines($"/proc/{Process.Id}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            ?? throw new BenchmarkBrokeException($"/proc/{Process.Id}/status has no {field}.");
        var kilobytes = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }

    /// <summary>The CPU time the process used so far (user and system), in seconds.</summary>
    public double CpuSeconds()
    {
        // After the command name in parentheses, utime and stime are the 12th and 13th fields.
        var stat = File.ReadAllText($"/proc/{Process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / (double)SysConf(ClockTicksPerSecond);
    }

    /// <summary>SIGTERM, then the exit; the benchmark breaks on any exit code but 0.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        Process.Signal(PosixSignal.SIGTERM);
        var exit = await Process.WaitForExitAsync(BenchmarkSetup.Patience, ct).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new BenchmarkBrokeException($"'Submitter serve' exited with {exit} after SIGTERM:\n{Process.Stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }

    private const int ClockTicksPerSecond = 2;

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
