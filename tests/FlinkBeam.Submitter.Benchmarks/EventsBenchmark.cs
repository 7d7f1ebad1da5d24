using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Submitter.Metrics;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// f) The stream of run changes and the metrics rounds. (1) From the moment the history records a change (the record's
/// updatedAt) to the moment a client of <c>GET /runs/events</c> of the real <c>Submitter serve</c> reads it, for every
/// change of sequential runs, with one client and with 20. (2) The Flink REST requests the metrics rounds make per running
/// job per minute, at the default interval, with 10 jobs running, against the bound the reads are built to.
/// </summary>
internal static class EventsBenchmark
{
    private const int Runs = 8;
    private const int Clients = 20;
    private const double StreamGoal = 25;
    private const int RunningJobs = 10;
    private const int Vertices = 2;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        await StreamAsync(cluster, table, ct).ConfigureAwait(false);
        await MetricsAsync(cluster, table, ct).ConfigureAwait(false);
    }

    private static async Task StreamAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        var url = $"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}";
        var environment = cluster.ServiceEnvironment();
        environment[SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.DataDirectory)] = Path.Combine(cluster.Root, "data-events");
        var build = SubmitterCommand.Native is null ? "JIT build" : "native build";
        var service = SubmitterProcess.Start(["serve", $"--urls={url}", .. LoopbackCluster.AsCommandLine(environment)]);
        await using (service.ConfigureAwait(false))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
            await service.WaitForOutputAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), BenchmarkSetup.Patience, ct).ConfigureAwait(false);

            table.Add($"f) change recorded -> read from /runs/events, 1 client ({build})", await MeasureAsync(http, 1, ct).ConfigureAwait(false), "ms", StreamGoal);
            table.Add($"f) change recorded -> read from /runs/events, {Clients} clients ({build})", await MeasureAsync(http, Clients, ct).ConfigureAwait(false), "ms", StreamGoal);

            service.Signal(PosixSignal.SIGTERM);
            if (await service.WaitForExitAsync(BenchmarkSetup.Patience, ct).ConfigureAwait(false) != 0)
            {
                throw new BenchmarkBrokeException($"'Submitter serve' did not exit cleanly after SIGTERM:\n{service.Stderr}");
            }
        }
    }

    /// <summary>Runs <see cref="Runs"/> runs one after another while <paramref name="clients"/> clients listen; every client's delay for every change.</summary>
    private static async Task<List<double>> MeasureAsync(HttpClient http, int clients, CancellationToken ct)
    {
        var streams = new List<EventStreamConnection>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var stream = await EventStreamConnection.OpenAsync(http, "/runs/events", null, ct).ConfigureAwait(false);
                streams.Add(stream);
                await stream.ReadUntilAsync(read => read.Any(e => e.Name == "synced"), BenchmarkSetup.Patience, ct).ConfigureAwait(false);
            }

            var delays = new List<double>();
            var listening = streams.Select(s => ListenAsync(s, delays, ct)).ToList();
            for (var run = 0; run < Runs; run++)
            {
                using var response = await http.PostAsJsonAsync("/runs", new { pipeline = BenchmarkSetup.Succeed, args = new[] { "--run_ms", "300" } }, ct).ConfigureAwait(false);
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("id").GetString()!;
                await UntilEndedAsync(http, id, ct).ConfigureAwait(false);
                // The last change reaches every client before the next run starts.
                await Task.Delay(200, ct).ConfigureAwait(false);
            }

            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(listening.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            lock (delays)
            {
                return delays.Count == 0 ? throw new BenchmarkBrokeException("No change reached the event stream.") : [.. delays];
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>For each pipeline event carrying a record not seen before by this client: now minus the record's updatedAt.</summary>
    private static async Task ListenAsync(EventStreamConnection stream, List<double> delays, CancellationToken ct)
    {
        var seen = new HashSet<(string, string)>();
        while (await stream.ReadAsync(ct).ConfigureAwait(false) is { } e)
        {
            var now = DateTimeOffset.UtcNow;
            if (e.Name != "pipeline" || e.Json.GetProperty("latest") is not { ValueKind: JsonValueKind.Object } latest)
            {
                continue;
            }

            var updated = latest.GetProperty("updatedAt").GetString()!;
            if (seen.Add((latest.GetProperty("id").GetString()!, updated)))
            {
                lock (delays)
                {
                    delays.Add((now - DateTimeOffset.Parse(updated, CultureInfo.InvariantCulture)).TotalMilliseconds);
                }
            }
        }
    }

    private static async Task UntilEndedAsync(HttpClient http, string id, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while ((await http.GetFromJsonAsync<JsonElement>($"/runs/{id}", ct).ConfigureAwait(false)).GetProperty("state").GetString() is not ("Succeeded" or "Failed" or "Cancelled" or "TimedOut"))
        {
            if (waited.Elapsed > BenchmarkSetup.Patience)
            {
                throw new BenchmarkBrokeException($"Run {id} did not end within {BenchmarkSetup.Patience.TotalSeconds} s.");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="RunningJobs"/> runs whose jobs run until cancelled, each job with <see cref="Vertices"/> vertices and
    /// checkpoints, read by the real collector at its default interval for a minute: the requests each job's metrics cost.
    /// </summary>
    private static async Task MetricsAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        var options = BenchmarkSetup.Options(cluster, "metrics");
        var slots = cluster.Flink.SlotsPerTaskManager;
        var defaults = cluster.Flink.DefaultJobMetrics;
        cluster.Flink.SlotsPerTaskManager = RunningJobs;
        cluster.Flink.DefaultJobMetrics = new FakeFlinkJobMetrics
        {
            Vertices = Enumerable.Range(1, Vertices).Select(i => new FakeFlinkVertex($"[{i}]stage", new Dictionary<string, double> { ["numRecordsIn"] = i })).ToList(),
            Checkpoints = new FakeFlinkCheckpoints(1, 0, 50, 1024),
        };
        var engine = BenchmarkSetup.Engine(options, s => s.AddJobMetrics());
        await using (engine.ConfigureAwait(false))
        {
            var manager = engine.GetRequiredService<RunManager>();
            var runs = new List<string>();
            for (var i = 0; i < RunningJobs; i++)
            {
                var run = await manager.StartAsync(new RunRequest(BenchmarkSetup.Forever, ["--pids", Path.Combine(cluster.PidDirectory, $"metrics-{i}.pid")]), ct).ConfigureAwait(false);
                runs.Add(run.Id);
            }

            var jobs = new List<string>();
            foreach (var id in runs)
            {
                jobs.Add(await RunningJobAsync(manager, id, ct).ConfigureAwait(false));
            }

            var collector = engine.GetRequiredService<JobMetricsCollector>();
            var before = cluster.Flink.RequestCounts;
            await collector.StartAsync(ct).ConfigureAwait(false);
            await Task.Delay(Minute, ct).ConfigureAwait(false);
            await collector.StopAsync(ct).ConfigureAwait(false);
            var after = cluster.Flink.RequestCounts;

            var perJob = jobs.Select(job => (double)after.Where(p => IsMetricsRequest(p.Key, job)).Sum(p => p.Value - before.GetValueOrDefault(p.Key))).ToList();
            var rounds = (int)(Minute / options.MetricsInterval);
            var bound = (rounds * (Vertices + 2)) + 1;
            table.Add($"f) metrics requests per running job per minute ({RunningJobs} jobs, {Vertices} vertices, rounds every {BenchmarkSetup.Describe(options.MetricsInterval)})",
                perJob, "req", bound);
            table.Note($"f) bound: {rounds} rounds × ({Vertices} vertices + checkpoints + job metrics) + the vertex list once = {bound} per job per minute; "
                + $"Flink's job list was polled {after.GetValueOrDefault("/jobs/overview") - before.GetValueOrDefault("/jobs/overview")} times in that minute for all runs together.");

            foreach (var id in runs)
            {
                await manager.CancelAsync(id, ct).ConfigureAwait(false);
            }
        }

        cluster.Flink.SlotsPerTaskManager = slots;
        cluster.Flink.DefaultJobMetrics = defaults;
    }

    private static bool IsMetricsRequest(string path, string job) =>
        path == $"/jobs/{job}" || path == $"/jobs/{job}/checkpoints" || path == $"/jobs/{job}/metrics"
        || (path.StartsWith($"/jobs/{job}/vertices/", StringComparison.Ordinal) && path.EndsWith("/subtasks/metrics", StringComparison.Ordinal));

    private static async Task<string> RunningJobAsync(RunManager manager, string id, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var run = manager.Get(id);
            if (run is { State: RunState.Running, FlinkJobId: { } job })
            {
                return job;
            }

            if (waited.Elapsed > BenchmarkSetup.Patience || run?.State.IsTerminal() == true)
            {
                throw new BenchmarkBrokeException($"Run {id} did not reach Running: {run?.State} {run?.Error}");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }
}
