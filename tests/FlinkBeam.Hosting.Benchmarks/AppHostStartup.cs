using System.Diagnostics;
using System.Globalization;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>
/// Starts the real AppHost as a user does, <c>dotnet run --project AppHost</c> (built once beforehand, so "warm"), in
/// external-cluster mode pointed at the loopback Flink REST, Job API and worker-pool fakes, and measures from the
/// command's start until the dashboard answers and until the Submitter's <c>/alive</c> answers.
/// </summary>
internal static class AppHostStartup
{
    private const int Runs = 5;
    private const int DashboardPort = 15180; // the AppHost's "http" launch profile
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DashboardGoal = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SubmitterGoal = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(TextWriter output)
    {
        var appHost = Path.Combine(RepositoryPaths.Root, "AppHost", "FlinkBeam.AppHost.csproj");
        var build = await ProcessRun.RunAsync("dotnet", ["build", appHost, "--nologo", "-v", "q", "-clp:ErrorsOnly"], Limit);
        if (build.ExitCode != 0)
        {
            var reason = build.Output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal))?.Trim() ?? "build failed";
            output.WriteLine($"AppHost start-up: skipped, the AppHost does not build on this machine ({reason}).");
            return 0;
        }

        await using var flink = await FakeFlinkCluster.StartAsync();
        await using var jobs = await FakeBeamJobServer.StartAsync();
        await using var pool = await FakeWorkerPool.StartAsync();

        output.WriteLine($"load average before: {LoadAverage()}");
        var dashboard = new List<TimeSpan>();
        var alive = new List<TimeSpan>();
        for (var run = 0; run <= Runs; run++)
        {
            var (toDashboard, toAlive) = await StartOnceAsync(appHost, flink, jobs, pool, output);
            if (run == 0)
            {
                continue; // warm-up: the first start after a build pays for loading and JIT of the tools
            }

            dashboard.Add(toDashboard);
            alive.Add(toAlive);
        }

        var table = new[]
        {
            Row("warm `dotnet run --project AppHost` -> dashboard answers", dashboard, DashboardGoal),
            Row("warm `dotnet run --project AppHost` -> Submitter /alive (external cluster)", alive, SubmitterGoal),
        };
        output.WriteLine($"load average after: {LoadAverage()} (1, 5 and 15 minutes; {Environment.ProcessorCount} cores)");
        output.WriteLine();
        output.WriteLine($"{"metric",-76} {"n",3} {"median",9} {"p95",9} {"max",9} {"goal",8}  result");
        output.WriteLine(new string('-', 128));
        foreach (var row in table)
        {
            output.WriteLine(row);
        }

        output.WriteLine($"result: the median of {Runs} warm starts against the goal; p95 and max show how far the machine's load spreads them.");

        return 0;
    }

    private static async Task<(TimeSpan Dashboard, TimeSpan Alive)> StartOnceAsync(
        string appHost, FakeFlinkCluster flink, FakeBeamJobServer jobs, FakeWorkerPool pool, TextWriter output)
    {
        var submitterPort = FakePipelineFiles.ClosedPort();
        var log = Path.Combine(Path.GetTempPath(), $"flinkbeam-apphost-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[]
        {
            "run", "--project", appHost, "--",
            $"--FlinkBeam:ExistingCluster:FlinkRestUrl={flink.RestUrl}",
            $"--FlinkBeam:ExistingCluster:JobEndpoint=http://{jobs.HostAndPort}",
            $"--FlinkBeam:ExistingCluster:WorkerPools:0=tcp://{pool.HostAndPort}",
            "--FlinkBeam:TaskManagers=1",
            "--FlinkBeam:AutoRun:0=",
            string.Create(CultureInfo.InvariantCulture, $"--FlinkBeam:SubmitterPort={submitterPort}"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var dashboardUrl = $"http://localhost:{DashboardPort}/";
        var aliveUrl = $"http://localhost:{submitterPort}/alive";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var drain = ProcessRun.DrainToFileAsync(process, log);
        TimeSpan? toDashboard;
        TimeSpan? toAlive;
        var exitedByItself = false;
        try
        {
            // Each address has its own poller, so a slow first answer from one does not delay noticing the other.
            var dashboard = FirstAnswerAsync(http, dashboardUrl, clock, process);
            var alive = FirstAnswerAsync(http, aliveUrl, clock, process);
            toDashboard = await dashboard;
            toAlive = await alive;
        }
        finally
        {
            exitedByItself = process.HasExited;
            if (!exitedByItself)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            await drain;
            await WaitUntilClosedAsync(http, dashboardUrl, aliveUrl);
        }

        if (toDashboard is null || toAlive is null)
        {
            var silent = string.Join(" and ", new[] { toDashboard is null ? dashboardUrl : null, toAlive is null ? aliveUrl : null }.OfType<string>());
            throw new InvalidOperationException(
                $"{silent} did not answer within {Limit.TotalSeconds} s of `dotnet run`{(exitedByItself ? ", which exited by itself" : "")}; the AppHost's output is in {log}.");
        }

        output.WriteLine($"start: dashboard {toDashboard.Value.TotalSeconds:F2} s, Submitter alive {toAlive.Value.TotalSeconds:F2} s");
        File.Delete(log);
        return (toDashboard.Value, toAlive.Value);
    }

    // The time of the first successful answer from url, or null when the AppHost exited or the limit passed first.
    private static async Task<TimeSpan?> FirstAnswerAsync(HttpClient http, string url, Stopwatch clock, Process process)
    {
        while (clock.Elapsed < Limit && !process.HasExited)
        {
            if (await AnswersAsync(http, url))
            {
                return clock.Elapsed;
            }

            await Task.Delay(20);
        }

        return null;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    // The next start must find neither the previous dashboard nor the previous Submitter still listening (the
    // orchestrator stops them once it sees the AppHost gone).
    private static async Task WaitUntilClosedAsync(HttpClient http, params string[] urls)
    {
        var clock = Stopwatch.StartNew();
        foreach (var url in urls)
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && await AnswersAsync(http, url))
            {
                await Task.Delay(200);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    // The machine's load while measured: the figures are only comparable with figures taken under a similar load.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Row(string metric, List<TimeSpan> values, TimeSpan goal)
    {
        var sorted = values.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var p95 = sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1];
        var max = sorted[^1];
        var result = median <= goal ? "PASS" : "MISS";
        return string.Create(CultureInfo.InvariantCulture,
            $"{metric,-76} {values.Count,3} {median.TotalSeconds,7:F2} s {p95.TotalSeconds,7:F2} s {max.TotalSeconds,7:F2} s {"≤ " + goal.TotalSeconds + " s",8}  {result}");
    }
}
