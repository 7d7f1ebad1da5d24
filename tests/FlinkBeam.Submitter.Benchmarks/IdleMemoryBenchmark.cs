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
        var service = BenchmarkService.Start(cluster, Path.Combine(cluster.Root, $"data-serve-{name}"), command);
        await using (service.ConfigureAwait(false))
        {
            await service.UntilOkAsync("/health", ct).ConfigureAwait(false);
            var started = await service.SettledRssAsync(Settle, ct).ConfigureAwait(false);

            for (var run = 0; run < Runs; run++)
            {
                using var response = await service.Http.PostAsJsonAsync("/runs", new { pipeline = BenchmarkSetup.Succeed, args = new[] { "--run_ms", "300" } }, ct)
                    .ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchmarkBrokeException($"POST /runs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
                }

                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("id").GetString();
                await service.UntilAsync(async () => await RunStateAsync(service.Http, id!, ct).ConfigureAwait(false) == "Succeeded", $"run {id} succeeded", ct)
                    .ConfigureAwait(false);
            }

            var afterRuns = await service.SettledRssAsync(Settle, ct).ConfigureAwait(false);
            var peak = service.StatusMegabytes("VmHWM");
            await service.StopAsync(ct).ConfigureAwait(false);
            return (started, afterRuns, peak);
        }
    }

    /// <summary>The state of a run as <c>GET /runs/{id}</c> answers it.</summary>
    private static async Task<string?> RunStateAsync(HttpClient http, string id, CancellationToken ct)
    {
        var run = await http.GetFromJsonAsync<JsonElement>($"/runs/{id}", ct).ConfigureAwait(false);
        return run.GetProperty("state").GetString();
    }
}
