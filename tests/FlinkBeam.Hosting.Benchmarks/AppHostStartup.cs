using System.Diagnostics;
using System.Globalization;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>
/// Starts the real AppHost as a user does, <c>dotnet run --project AppHost</c> (built once beforehand, so "warm"), in
/// external-cluster mode pointed at the loopback Flink REST, Job API and worker-pool fakes, with a catalog of one
/// pipeline (<c>bench</c>, a fake Beam client whose job runs 1 s) that the Submitter runs once the cluster is ready
/// (<c>AutoRun</c>), and measures from the command's start until the dashboard answers, until the Submitter's
/// <c>/alive</c> answers, and until the pipeline's row in the dashboard, open in headless Chromium, shows Succeeded.
/// </summary>
internal static class AppHostStartup
{
    private const int Runs = 5;
    private const int DashboardPort = 15180; // the AppHost's "http" launch profile
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DashboardGoal = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SubmitterGoal = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SucceededGoal = TimeSpan.FromSeconds(8);
    private const string Pipeline = "bench";

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

        await using var cluster = await LoopbackCluster.StartAsync(CancellationToken.None);
        cluster.WriteCatalog((Pipeline, "succeed.py", 1, ["--run_ms", "1000"]));
        await using var browser = await DashboardBrowser.StartAsync();
        if (browser.Missing is { } missing)
        {
            output.WriteLine($"AppHost start-up: the pipeline row is not measured: {missing}");
        }

        output.WriteLine($"load average before: {LoadAverage()}");
        var dashboard = new List<TimeSpan>();
        var alive = new List<TimeSpan>();
        var succeeded = new List<TimeSpan>();
        for (var run = 0; run <= Runs; run++)
        {
            var start = await StartOnceAsync(appHost, cluster, browser, output);
            if (run == 0)
            {
                continue; // warm-up: the first start after a build pays for loading and JIT of the tools
            }

            dashboard.Add(start.Dashboard);
            alive.Add(start.Alive);
            if (start.Succeeded is { } shown)
            {
                succeeded.Add(shown);
            }
        }

        output.WriteLine($"load average after: {LoadAverage()} (1, 5 and 15 minutes; {Environment.ProcessorCount} cores)");
        output.WriteLine();
        output.WriteLine(BenchmarkTable.Header);
        output.WriteLine(BenchmarkTable.Row("warm `dotnet run --project AppHost` -> dashboard answers", dashboard, DashboardGoal));
        output.WriteLine(BenchmarkTable.Row("warm `dotnet run --project AppHost` -> Submitter /alive (external cluster)", alive, SubmitterGoal));
        if (succeeded.Count > 0)
        {
            output.WriteLine(BenchmarkTable.Row("warm `dotnet run --project AppHost` -> AutoRun 1 s job's row shows Succeeded", succeeded, SucceededGoal));
        }

        output.WriteLine($"result: the median of {Runs} warm starts against the goal; p95 and max show how far the machine's load spreads them.");

        return 0;
    }

    private static async Task<(TimeSpan Dashboard, TimeSpan Alive, TimeSpan? Succeeded)> StartOnceAsync(
        string appHost, LoopbackCluster cluster, DashboardBrowser browser, TextWriter output)
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
            $"--FlinkBeam:ExistingCluster:FlinkRestUrl={cluster.Flink.RestUrl}",
            $"--FlinkBeam:ExistingCluster:JobEndpoint=http://{cluster.JobServer.HostAndPort}",
            $"--FlinkBeam:ExistingCluster:WorkerPools:0=tcp://{cluster.WorkerPool.HostAndPort}",
            "--FlinkBeam:TaskManagers=1",
            // The fakes' catalog and Python, and a history of its own for every start, so the row's Succeeded is this start's run.
            $"--FlinkBeam:Pipelines={Path.GetDirectoryName(cluster.Catalog)}",
            $"--FlinkBeam:PythonPath={cluster.Python}",
            $"--FlinkBeam:DataDirectory={Path.Combine(cluster.Root, "history", Guid.NewGuid().ToString("N"))}",
            $"--FlinkBeam:AutoRun:0={Pipeline}",
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
        TimeSpan? toSucceeded = null;
        var exitedByItself = false;
        try
        {
            // Each address has its own poller, so a slow first answer from one does not delay noticing the other.
            var dashboard = FirstAnswerAsync(http, dashboardUrl, clock, process);
            var alive = FirstAnswerAsync(http, aliveUrl, clock, process);
            toDashboard = await dashboard;
            if (toDashboard is not null)
            {
                toSucceeded = await browser.RowShowsAsync(dashboardUrl, Pipeline, "Succeeded", clock, Limit);
            }

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

        output.WriteLine($"start: dashboard {toDashboard.Value.TotalSeconds:F2} s, Submitter alive {toAlive.Value.TotalSeconds:F2} s, {Pipeline} Succeeded {toSucceeded?.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) ?? "-"} s");
        if (browser.Missing is null && toSucceeded is null)
        {
            throw new InvalidOperationException($"The row of {Pipeline} did not show Succeeded within {Limit.TotalSeconds} s of `dotnet run`; the AppHost's output is in {log}.");
        }

        File.Delete(log);
        return (toDashboard.Value, toAlive.Value, toSucceeded);
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
}
