using System.Diagnostics;
using System.Runtime.InteropServices;
using FlinkBeam.Submitter.Benchmarks;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Testing;

// The Submitter's performance against loopback fakes and real Python clients: readiness latency, terminal latency,
// idle memory of the service, 200 concurrent runs, gate admission, the event stream's delay and the metrics rounds'
// requests, and a history of a million runs. Prints one table; exits 1 only when something broke (a missed goal is
// printed as MISS). Bounded: every wait gives up after BenchmarkSetup.Patience, the whole run after 25 minutes.
using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(25));
var ct = budget.Token;
var table = new ResultTable();
var random = new Random(20_240_601);
var total = Stopwatch.StartNew();
var gatePolling = new ReadinessPolling();
var supervision = new SupervisionTimings();

Console.WriteLine("FlinkBeam Submitter benchmark: real Submitter parts, loopback Flink REST / Job API fakes, real Python clients");
Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, Python {FakePipelineFiles.RealPythonMinor}");
Console.WriteLine($"Gate polling {BenchmarkSetup.Describe(gatePolling.Initial)} (for {BenchmarkSetup.Describe(gatePolling.FastWindow)} after a change) up to {BenchmarkSetup.Describe(gatePolling.Max)}; "
    + $"Flink job polling {BenchmarkSetup.Describe(supervision.PollMin)} up to {BenchmarkSetup.Describe(supervision.PollMax)}; hung-client grace {BenchmarkSetup.Describe(TerminalBenchmark.Grace)}");

var status = 0;
try
{
    var cluster = await LoopbackCluster.StartAsync(ct);
    await using (cluster)
    {
        BenchmarkSetup.WriteCatalog(cluster);
        await Section("a) readiness", () => ReadinessBenchmark.RunAsync(cluster, table, random, ct));
        await Section("b) terminal state", () => TerminalBenchmark.RunAsync(cluster, table, random, ct));
        await Section("c) idle memory", () => IdleMemoryBenchmark.RunAsync(cluster, table, ct));
        await Section("d) 200 concurrent runs", () => ConcurrencyBenchmark.RunAsync(cluster, table, ct));
        await Section("e) gate admission", () => AdmissionBenchmark.RunAsync(cluster, table, ct));
        await Section("f) events and metrics", () => EventsBenchmark.RunAsync(cluster, table, ct));
        await Section("g) history of a million runs", () => HistoryBenchmark.RunAsync(cluster, table, ct));
    }
}
catch (Exception e)
{
    Console.Error.WriteLine(e switch
    {
        BenchmarkBrokeException => $"BROKEN: {e.Message}",
        OperationCanceledException when budget.IsCancellationRequested => "BROKEN: the benchmark ran out of its time budget",
        _ => $"BROKEN: {e}",
    });
    status = 1;
}

Console.WriteLine();
table.Print(Console.Out);
Console.WriteLine($"result: p95 against the goal (the largest sample where the goal says max). Total {total.Elapsed.TotalSeconds:0} s.");
return status != 0 || table.Broken ? 1 : 0;

async Task Section(string name, Func<Task> run)
{
    // `./bench c d` runs only those sections; no arguments runs them all.
    if (args.Length > 0 && !args.Contains(name[..1], StringComparer.OrdinalIgnoreCase))
    {
        return;
    }

    var watch = Stopwatch.StartNew();
    Console.Error.WriteLine($"running {name} ...");
    await run();
    Console.Error.WriteLine($"  {name} took {watch.Elapsed.TotalSeconds:0.0} s");
}
