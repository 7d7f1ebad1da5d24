using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// c) The resident memory of the real service (<c>Submitter serve</c>, a child process against the fakes) once it has
/// settled: started with /health ready, and again after runs through the HTTP API, each time left idle first. Measured
/// for the native build (<c>FLINKBEAM_SUBMITTER</c>, which <c>./bench</c> publishes), against the goal, and for the JIT
/// build that <c>dotnet run</c> and the AppHost start.
/// </summary>
internal static class IdleMemoryBenchmark
{
    private const int Processes = 3;
    private const int Runs = 5;
    private const double GoalMegabytes = 80;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        if (SubmitterCommand.Native is { } native)
        {
            await MeasureAsync(cluster, native, "native build", GoalMegabytes, table, ct).ConfigureAwait(false);
        }
        else
        {
            table.Note($"c) no native build measured: {SubmitterCommand.NativeVariable} is unset (./bench publishes one and sets it).");
        }

        await MeasureAsync(cluster, SubmitterCommand.BuildOutput, "JIT build", goal: null, table, ct).ConfigureAwait(false);
    }

    private static async Task MeasureAsync(LoopbackCluster cluster, SubmitterCommand command, string build, double? goal, ResultTable table, CancellationToken ct)
    {
        var started = new List<double>();
        var afterRuns = new List<double>();
        var peak = new List<double>();
        for (var i = 0; i < Processes; i++)
        {
            var (idle, ran, hwm) = await MeasureOnceAsync(cluster, command, $"{build.Replace(' ', '-')}-{i}", ct).ConfigureAwait(false);
            started.Add(idle);
            afterRuns.Add(ran);
            peak.Add(hwm);
        }

        var settled = $"{Settle.TotalSeconds:0} s settled";
        table.Add($"c) idle RSS of 'Submitter serve', {build}, /health ready ({settled})", started, "MB", goal);
        table.Add($"c) idle RSS of 'Submitter serve', {build}, after {Runs} runs ({settled})", afterRuns, "MB", goal);
        table.Add($"c) peak RSS of 'Submitter serve', {build} (VmHWM)", peak, "MB");
    }

    private static async Task<(double Started, double AfterRuns, double Peak)> MeasureOnceAsync(
        LoopbackCluster cluster, SubmitterCommand command, string name, CancellationToken ct)
    {
        var port = FakePipelineFiles.ClosedPort();
        var url = $"http://127.0.0.1:{port}";
        var environment = cluster.ServiceEnvironment();
        environment["Submitter__DataDirectory"] = Path.Combine(cluster.Root, $"data-serve-{name}");
        var service = SubmitterProcess.Start(["serve", $"--urls={url}", .. LoopbackCluster.AsCommandLine(environment)], command: command);
        await using (service.ConfigureAwait(false))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            await UntilAsync(service, async () => await StatusAsync(http, "/health", ct).ConfigureAwait(false) == HttpStatusCode.OK, "/health is ready", ct)
                .ConfigureAwait(false);
            var started = await SettledRssAsync(service, ct).ConfigureAwait(false);

            for (var run = 0; run < Runs; run++)
            {
                using var response = await http.PostAsJsonAsync("/runs", new { pipeline = BenchmarkSetup.Succeed, args = new[] { "--run_ms", "300" } }, ct)
                    .ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchmarkBrokeException($"POST /runs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
                }

                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("id").GetString();
                await UntilAsync(service, async () => await RunStateAsync(http, id!, ct).ConfigureAwait(false) == "Succeeded", $"run {id} succeeded", ct)
                    .ConfigureAwait(false);
            }

            var afterRuns = await SettledRssAsync(service, ct).ConfigureAwait(false);

            var peak = StatusMegabytes(service.Id, "VmHWM");
            service.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
            var exit = await service.WaitForExitAsync(BenchmarkSetup.Patience, ct).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new BenchmarkBrokeException($"'Submitter serve' exited with {exit} after SIGTERM:\n{service.Stderr}");
            }

            return (started, afterRuns, peak);
        }
    }

    /// <summary>Lets the service idle for <see cref="Settle"/>, then takes the median of five VmRSS readings 100 ms apart.</summary>
    private static async Task<double> SettledRssAsync(SubmitterProcess service, CancellationToken ct)
    {
        await Task.Delay(Settle, ct).ConfigureAwait(false);
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(StatusMegabytes(service.Id, "VmRSS"));
            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(path, ct).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string?> RunStateAsync(HttpClient http, string id, CancellationToken ct)
    {
        var run = await http.GetFromJsonAsync<JsonElement>($"/runs/{id}", ct).ConfigureAwait(false);
        return run.GetProperty("state").GetString();
    }

    private static async Task UntilAsync(SubmitterProcess service, Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + BenchmarkSetup.Patience;
        while (!await condition().ConfigureAwait(false))
        {
            if (service.HasExited)
            {
                throw new BenchmarkBrokeException($"'Submitter serve' exited before {what}.\n{service.Stdout}\n{service.Stderr}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkBrokeException($"Waited {BenchmarkSetup.Patience.TotalSeconds} s in vain until {what}.\n{service.Stdout}\n{service.Stderr}");
            }

            await Task.Delay(20, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A "kB" line of /proc/&lt;pid&gt;/status, in MB (MiB).</summary>
    private static double StatusMegabytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            ?? throw new BenchmarkBrokeException($"/proc/{pid}/status has no {field}.");
        var kilobytes = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }
}
