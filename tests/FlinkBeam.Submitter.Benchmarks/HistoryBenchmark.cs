using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// g) A history of a million runs: written with SQL into a file the Submitter made (its own schema, indexes and
/// checksums), then the real <c>Submitter serve</c> and <c>Submitter runs</c> on it: start to <c>/alive</c>, a page of
/// the CLI, every filter and limit of <c>GET /runs</c>, a <c>GET /runs/{id}</c> beside state-filtered pages, idle CPU,
/// and the memory of the native build before and after 500 runs at once.
/// </summary>
internal static class HistoryBenchmark
{
    private const int Runs = 1_000_000;
    private const int Concurrent = 500;
    private const int Starts = 5;
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(60);
    private static readonly string[] Pipelines = [BenchmarkSetup.Succeed, BenchmarkSetup.Fail, BenchmarkSetup.FailAfterFinished, BenchmarkSetup.HangAfterDone];

    // The first run's creation, in Unix milliseconds; one run a second after it.
    private static readonly long FirstMs = DateTimeOffset.UtcNow.AddDays(-20).ToUnixTimeMilliseconds() / 1000 * 1000;

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        table.Note($"g) load average (1, 5, 15 min) before: {LoadAverage()}");
        var data = Path.Combine(cluster.Root, "data-million");
        var empty = Path.Combine(cluster.Root, "data-empty");
        var built = Stopwatch.StartNew();
        Build(data);
        var size = new FileInfo(Path.Combine(data, HistoryFile.FileName)).Length;
        table.Note($"g) {Runs:N0} runs written with SQL in {built.Elapsed.TotalSeconds:0.0} s; runs.db is {size / 1024.0 / 1024:0} MB.");

        var jit = SubmitterCommand.BuildOutput;
        table.Add("g) start to /alive, 1,000,000 runs (JIT build)", await StartsAsync(cluster, data, jit, ct).ConfigureAwait(false), "s", 2);
        table.Add("g) start to /alive, empty history (JIT build)", await StartsAsync(cluster, empty, jit, ct).ConfigureAwait(false), "s");
        table.Add("g) runs --limit 20, 1,000,000 runs (JIT build)", await CliAsync(data, jit, ct).ConfigureAwait(false), "s", 0.5);
        table.Add("g) runs --limit 20, empty history (JIT build)", await CliAsync(empty, jit, ct).ConfigureAwait(false), "s");
        if (SubmitterCommand.Native is { } nativeCli)
        {
            table.Add("g) runs --limit 20, 1,000,000 runs (native build)", await CliAsync(data, nativeCli, ct).ConfigureAwait(false), "s");
        }

        var service = BenchmarkService.Start(cluster, data, jit);
        await using (service.ConfigureAwait(false))
        {
            await service.UntilOkAsync("/alive", ct).ConfigureAwait(false);
            var (pages, slowest) = await PagesAsync(service.Http, ct).ConfigureAwait(false);
            table.Add("g) GET /runs, every filter (9) and limit (1, 2, 3, 4, 20, 100, 1000)", pages, "ms", 10);
            table.Note($"g) the slowest filter and limit by p95: {slowest}.");
            var (waits, pagesBeside) = await BesideAsync(service.Http, ct).ConfigureAwait(false);
            table.Add("g) GET /runs/{id} while 3 state-filtered pages of 1000 run beside it", waits, "ms", 50, judgeMax: true);
            table.Note($"g) {pagesBeside} state-filtered pages of 1000 runs were answered beside them; the longest single-run wait was the "
                + $"{waits.IndexOf(waits.Max()) + 1}th of {waits.Count}, the next longest {waits.Order().ElementAt(waits.Count - 2):0.0} ms.");
            table.Add($"g) idle CPU of 'Submitter serve' over {IdleWindow.TotalSeconds:0} s, 1,000,000 runs", [await IdleCpuAsync(service, ct).ConfigureAwait(false)], "CPU-s/min", 0.5);
            await service.StopAsync(ct).ConfigureAwait(false);
        }

        if (SubmitterCommand.Native is { } native)
        {
            await ManyRunsAsync(cluster, data, native, table, ct).ConfigureAwait(false);
        }
        else
        {
            table.Note($"g) no native build measured: {SubmitterCommand.NativeVariable} is unset (./bench publishes one and sets it).");
        }

        table.Note($"g) load average (1, 5, 15 min) after: {LoadAverage()}");
    }

    /// <summary>The id of run <paramref name="i"/>: unique, and not in the order of creation.</summary>
    private static string Id(long i) => $"{i:x8}{i * 2654435761L % 4294967296L:x8}";

    private static RunCursor Cursor(long i) => new(DateTimeOffset.UnixEpoch.AddMilliseconds(FirstMs + (i * 1000)).UtcTicks, Id(i));

    /// <summary>
    /// Makes the history with the Submitter (schema, indexes, triggers), then writes the runs with one SQL statement:
    /// records in the history's JSON, each with its checksum, a realistic mix of pipelines and outcomes.
    /// </summary>
    private static void Build(string data)
    {
        using (HistoryFile.Open(data))
        {
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, HistoryFile.FileName)};Pooling=False");
        connection.Open();
        connection.CreateFunction("record_crc", (string json) => RecordChecksum.Of(Encoding.UTF8.GetBytes(json)), isDeterministic: true);
        using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = $"""
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -262144;
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {Runs - 1}),
            r AS (
                SELECT i, printf('%08x%08x', i, i * 2654435761 % 4294967296) AS id,
                    CASE i % 10 WHEN 0 THEN '{Pipelines[1]}' WHEN 1 THEN '{Pipelines[2]}' WHEN 2 THEN '{Pipelines[3]}' ELSE '{Pipelines[0]}' END AS pipeline,
                    CASE WHEN i % 20 = 3 THEN 'Failed' WHEN i % 50 = 7 THEN 'TimedOut' WHEN i % 33 = 5 THEN 'Cancelled' ELSE 'Succeeded' END AS state,
                    {FirstMs} + i * 1000 AS ms
                FROM n),
            j AS (
                SELECT *, pipeline || '-' || substr(id, 1, 8) AS job, json_object(
                    'id', id, 'pipeline', pipeline, 'args', json_array('--run_ms', '300'), 'jobName', pipeline || '-' || substr(id, 1, 8),
                    'state', state, 'createdAt', {Iso("ms")}, 'updatedAt', {Iso("ms + 61000")}, 'launchedAt', {Iso("ms + 40")},
                    'submittedAt', {Iso("ms + 2500")}, 'finishedAt', {Iso("ms + 61000")},
                    'clientExitCode', CASE state WHEN 'Succeeded' THEN 0 ELSE 1 END, 'clientProcessId', 10000 + i % 50000, 'clientProcessStart', 1000000 + i,
                    'flinkJobId', printf('%08x%08x%08x%08x', i, i * 7 % 4294967296, i * 13 % 4294967296, i * 31 % 4294967296),
                    'flinkState', CASE state WHEN 'Succeeded' THEN 'FINISHED' WHEN 'Failed' THEN 'FAILED' WHEN 'Cancelled' THEN 'CANCELED' END,
                    'attempts', 1,
                    'lastOutput', json_array(
                        'INFO:root:Running ' || pipeline || ' as ' || pipeline || '-' || substr(id, 1, 8),
                        'INFO:apache_beam.runners.portability.portable_runner:Job state changed to RUNNING',
                        'INFO:apache_beam.runners.portability.portable_runner:Job state changed to DONE',
                        'wrote ' || (i % 997) || ' lines to /outputs/' || pipeline || '/' || id || '/counts-00000-of-00001'),
                    'error', CASE state WHEN 'Failed' THEN 'Flink job FAILED: java.lang.RuntimeException: Worker lost while processing bundle'
                        WHEN 'TimedOut' THEN 'No Flink job named ' || pipeline || '-' || substr(id, 1, 8) || ' appeared within 5 min.' END,
                    'warnings', json_array(),
                    'beamJobId', pipeline || '-' || substr(id, 1, 8) || '_' || printf('%08x', i * 97 % 4294967296),
                    'failureReason', CASE state WHEN 'Failed' THEN 'JobFailed' WHEN 'TimedOut' THEN 'JobTimeout' END,
                    'owner', 'benchmark') AS record
                FROM r)
            INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record, record_crc, owner)
                SELECT id, pipeline, job, state, {Ticks("ms")}, {Ticks("ms + 61000")}, record, record_crc(record), 'benchmark' FROM j;
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """;
        command.ExecuteNonQuery();

        static string Iso(string ms) => $"strftime('%Y-%m-%dT%H:%M:%S', ({ms}) / 1000, 'unixepoch') || printf('.%03dZ', ({ms}) % 1000)";
        static string Ticks(string ms) => $"621355968000000000 + ({ms}) * 10000";
    }

    /// <summary>Starts the service on <paramref name="data"/> and times it to the first answer of /alive, then stops it; several times.</summary>
    private static async Task<List<double>> StartsAsync(LoopbackCluster cluster, string data, SubmitterCommand command, CancellationToken ct)
    {
        var seconds = new List<double>();
        for (var i = 0; i <= Starts; i++)
        {
            var service = BenchmarkService.Start(cluster, data, command);
            await using (service.ConfigureAwait(false))
            {
                var alive = await service.UntilOkAsync("/alive", ct).ConfigureAwait(false);
                // The first start warms the file system's cache and the build's files; the others are measured.
                if (i > 0)
                {
                    seconds.Add(alive);
                }

                await service.StopAsync(ct).ConfigureAwait(false);
            }
        }

        return seconds;
    }

    /// <summary>Times <c>Submitter runs --limit 20</c> from its start to its exit, checking it printed a page.</summary>
    private static async Task<List<double>> CliAsync(string data, SubmitterCommand command, CancellationToken ct)
    {
        Directory.CreateDirectory(data);
        var seconds = new List<double>();
        for (var i = 0; i <= Starts; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var process = SubmitterProcess.Start(["runs", "--data-dir", data, "--limit", "20"], command: command);
            await using (process.ConfigureAwait(false))
            {
                var exit = await process.WaitForExitAsync(BenchmarkSetup.Patience, ct).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (exit != 0 || !(process.Stdout.StartsWith("ID", StringComparison.Ordinal) || process.Stdout.StartsWith("No runs", StringComparison.Ordinal)))
                {
                    throw new BenchmarkBrokeException($"'Submitter runs' exited {exit}:\n{process.Stdout}\n{process.Stderr}");
                }

                if (i > 0)
                {
                    seconds.Add(elapsed);
                }
            }
        }

        return seconds;
    }

    /// <summary>Every filter and limit of <c>GET /runs</c>, each asked a few times after one unmeasured ask.</summary>
    private static async Task<(List<double> Samples, string Slowest)> PagesAsync(HttpClient http, CancellationToken ct)
    {
        var middle = Uri.EscapeDataString(Cursor(Runs / 2).ToString());
        string[] filters =
        [
            "", "state=Succeeded", "state=Failed", "state=Running", "state=Failed,TimedOut", $"pipeline={Pipelines[0]}",
            $"pipeline={Pipelines[1]}&state=Failed", $"after={middle}", $"state=Succeeded&after={middle}",
        ];
        var samples = new List<double>();
        var slowest = (P95: 0.0, Query: "");
        foreach (var filter in filters)
        {
            foreach (var limit in new[] { 1, 2, 3, 4, 20, 100, 1000 })
            {
                var path = $"/runs?limit={limit}{(filter.Length > 0 ? "&" : "")}{filter}";
                var times = new List<double>();
                for (var i = 0; i <= 10; i++)
                {
                    var (ms, _) = await GetAsync(http, path, ct).ConfigureAwait(false);
                    if (i > 0)
                    {
                        times.Add(ms);
                    }
                }

                samples.AddRange(times);
                var p95 = times.Order().ElementAt((int)Math.Ceiling(0.95 * times.Count) - 1);
                if (p95 > slowest.P95)
                {
                    slowest = (p95, $"{path} ({p95:0.0} ms)");
                }
            }
        }

        return (samples, slowest.Query);
    }

    /// <summary>
    /// Three loops ask state-filtered pages of 1000 runs (at cursors all over the history) while a fourth asks single runs
    /// by id, for ten seconds: each single run's wait.
    /// </summary>
    private static async Task<(List<double> Waits, int Pages)> BesideAsync(HttpClient http, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pages = 0;
        var random = new Random(11);
        string[] states = ["Succeeded", "Failed", "Succeeded,Cancelled"];
        var loops = states.Select(state => Task.Run(async () =>
        {
            var local = new Random(state.Length);
            while (!stop.IsCancellationRequested)
            {
                var cursor = Uri.EscapeDataString(Cursor(local.Next(Runs)).ToString());
                await GetAsync(http, $"/runs?state={state}&limit=1000&after={cursor}", stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref pages);
            }
        }, CancellationToken.None)).ToList();

        var waits = new List<double>();
        // One unmeasured ask first, as for every other figure: the JIT build compiles the endpoint on its first use.
        await GetAsync(http, $"/runs/{Id(random.Next(Runs))}", ct).ConfigureAwait(false);
        await Task.Delay(500, ct).ConfigureAwait(false);
        var until = Stopwatch.GetTimestamp() + (long)(10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var (ms, _) = await GetAsync(http, $"/runs/{Id(random.Next(Runs))}", ct).ConfigureAwait(false);
            waits.Add(ms);
            await Task.Delay(10, ct).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in loops)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return (waits, pages);
    }

    /// <summary>The CPU time the idle service used over <see cref="IdleWindow"/>, per minute.</summary>
    private static async Task<double> IdleCpuAsync(BenchmarkService service, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        var before = service.CpuSeconds();
        await Task.Delay(IdleWindow, ct).ConfigureAwait(false);
        return (service.CpuSeconds() - before) * (60 / IdleWindow.TotalSeconds);
    }

    /// <summary>
    /// The native service on the million-run history: its resident memory once settled, then after 500 runs asked for at
    /// once have all ended and it settled again.
    /// </summary>
    private static async Task ManyRunsAsync(LoopbackCluster cluster, string data, SubmitterCommand native, ResultTable table, CancellationToken ct)
    {
        var slots = cluster.Flink.SlotsPerTaskManager;
        cluster.Flink.SlotsPerTaskManager = Concurrent;
        var settle = TimeSpan.FromSeconds(5);
        // Idle again, the service gives back what the burst took at its next look (every 10 s); two looks are waited for.
        var idle = TimeSpan.FromSeconds(25);
        var service = BenchmarkService.Start(cluster, data, native);
        await using (service.ConfigureAwait(false))
        {
            await service.UntilOkAsync("/health", ct).ConfigureAwait(false);
            var before = await service.SettledRssAsync(settle, ct).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            // The 500 requests come as from many clients, each on a connection of its own, which they close once answered.
            using var burst = new HttpClient { BaseAddress = service.Http.BaseAddress };
            var ids = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async _ =>
            {
                using var response = await burst.PostAsJsonAsync("/runs", new { pipeline = BenchmarkSetup.Succeed, args = new[] { "--run_ms", "300" } }, ct)
                    .ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new BenchmarkBrokeException($"POST /runs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
                }

                return (await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("id").GetString()!;
            })).ConfigureAwait(false);
            burst.Dispose();

            await service.UntilAsync(async () =>
            {
                using var active = await service.Http.GetAsync("/runs?state=Pending,WaitingForCluster,Launching,Submitted,Running&limit=1", ct).ConfigureAwait(false);
                return (await active.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim() == "[]" && !active.Headers.Contains("Link");
            }, $"the {Concurrent} runs ended", ct, pause: 500).ConfigureAwait(false);
            var wall = Stopwatch.GetElapsedTime(started);
            var states = new Dictionary<string, int>();
            foreach (var id in ids)
            {
                var run = await service.Http.GetFromJsonAsync<JsonElement>($"/runs/{id}", ct).ConfigureAwait(false);
                var state = run.GetProperty("state").GetString()!;
                states[state] = states.GetValueOrDefault(state) + 1;
                if (state != nameof(RunState.Succeeded) && states[state] <= 3)
                {
                    table.Note($"g) run {id} ended {state}: {run.GetProperty("error")}");
                }
            }

            var after = await service.SettledRssAsync(idle, ct).ConfigureAwait(false);
            table.Check($"g) {Concurrent} concurrent runs through the API Succeeded", states.GetValueOrDefault(nameof(RunState.Succeeded)), Concurrent);
            table.Add($"g) RSS of 'Submitter serve' (native build), 1,000,000 runs, settled {settle.TotalSeconds:0} s after start", [before], "MB");
            table.Add($"g) RSS of 'Submitter serve' (native build) after {Concurrent} concurrent runs, idle {idle.TotalSeconds:0} s", [after], "MB");
            table.Add($"g) RSS growth after {Concurrent} concurrent runs (native build)", [after - before], "MB", 30);
            table.Note($"g) the {Concurrent} runs took {wall.TotalSeconds:0} s from the first request to the last end; peak RSS (VmHWM) {service.StatusMegabytes("VmHWM"):0.0} MB.");
            await service.StopAsync(ct).ConfigureAwait(false);
        }

        cluster.Flink.SlotsPerTaskManager = slots;
    }

    private static async Task<(double Milliseconds, int Bytes)> GetAsync(HttpClient http, string path, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchmarkBrokeException($"GET {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        return (ms, body.Length);
    }

    private static string LoadAverage() =>
        string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture)));
}
