using System.Diagnostics;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Testing;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// d) 200 runs started at once on a ready cluster (succeeding, failing, failing after FINISHED), each with its own
/// scripted job time: every terminal state, each run's wait for its admission at the gate, the batch's wall time
/// against its longest job, and each run's overhead beyond its job.
/// </summary>
internal static class ConcurrencyBenchmark
{
    private const int Runs = 200;

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        var plan = Enumerable.Range(0, Runs).Select(i => (i % 5) switch
        {
            0 or 1 or 2 => (Pipeline: BenchmarkSetup.Succeed, Expected: RunState.Succeeded, JobTime: JobTime(i)),
            3 => (Pipeline: BenchmarkSetup.Fail, Expected: RunState.Failed, JobTime: JobTime(i)),
            _ => (Pipeline: BenchmarkSetup.FailAfterFinished, Expected: RunState.Succeeded, JobTime: JobTime(i)),
        }).ToList();

        // Enough slots for all of them: the gate would otherwise (rightly) hold runs back until slots free up.
        var slots = cluster.Flink.SlotsPerTaskManager;
        cluster.Flink.SlotsPerTaskManager = Runs;
        var options = BenchmarkSetup.Options(cluster, "concurrent");
        var engine = BenchmarkSetup.Engine(options);
        await using (engine.ConfigureAwait(false))
        {
            var manager = engine.GetRequiredService<RunManager>();
            await BenchmarkSetup.RunToEndAsync(manager, BenchmarkSetup.Request(BenchmarkSetup.Succeed, TimeSpan.FromMilliseconds(200)), ct).ConfigureAwait(false);
            var gate = engine.GetRequiredService<TimedGate>();
            var warm = gate.Admissions.Count;
            var polls = cluster.Flink.RequestCount("/jobs/overview");
            var started = Stopwatch.GetTimestamp();
            var runs = new List<RunRecord>();
            foreach (var step in plan)
            {
                runs.Add(await manager.StartAsync(BenchmarkSetup.Request(step.Pipeline, step.JobTime), ct).ConfigureAwait(false));
            }

            var submitted = Stopwatch.GetElapsedTime(started);
            var finished = await Task.WhenAll(runs.Select(r => BenchmarkSetup.WaitAsync(manager, r, ct))).ConfigureAwait(false);
            table.Note($"d) the {Runs} runs were requested within {submitted.TotalMilliseconds:0} ms.");
            var wall = Stopwatch.GetElapsedTime(started);
            polls = cluster.Flink.RequestCount("/jobs/overview") - polls;
            cluster.Flink.SlotsPerTaskManager = slots;

            var right = finished.Select((run, i) => run.State == plan[i].Expected).Count(ok => ok);
            foreach (var wrong in finished.Where((run, i) => run.State != plan[i].Expected).Take(3))
            {
                table.Note($"d) run {wrong.Id} of {wrong.Pipeline} ended {wrong.State}: {wrong.Error}");
            }

            var overhead = new List<double>();
            var toLaunch = new List<double>();
            var toJob = new List<double>();
            var toTerminal = new List<double>();
            for (var i = 0; i < finished.Length; i++)
            {
                var run = finished[i];
                if (run.FlinkJobId is null)
                {
                    continue;
                }

                var job = BenchmarkSetup.Job(cluster, run);
                overhead.Add((run.FinishedAt!.Value - run.CreatedAt - plan[i].JobTime).TotalMilliseconds);
                toLaunch.Add((run.LaunchedAt!.Value - run.CreatedAt).TotalMilliseconds);
                toJob.Add((DateTimeOffset.FromUnixTimeMilliseconds(job.StartTime) - run.LaunchedAt.Value).TotalMilliseconds);
                toTerminal.Add(BenchmarkSetup.TerminalLatency(run, job));
            }

            var longest = plan.Max(p => p.JobTime);
            table.Add($"d) {Runs} concurrent runs: wall time (longest job {BenchmarkSetup.Describe(longest)})", [wall.TotalSeconds], "s");
            table.Add($"d) {Runs} concurrent runs: wall time - longest job", [(wall - longest).TotalMilliseconds], "ms");
            table.Add("d) per run: end-to-end - its job time", overhead, "ms");
            table.Add("d) per run: created -> client launched (gate, start)", toLaunch, "ms");
            table.Add("d) per run: client launched -> job created (Python start)", toJob, "ms");
            // Under this load the Submitter sees the terminal state within a poll; the rest is the client's own exit,
            // which a run waits for (up to the grace) and which competes with 200 Python starts for 2 cores.
            table.Add("d) per run: job terminal -> run terminal (incl. client exit)", toTerminal, "ms");
            table.Check($"d) {Runs} runs in the right terminal state", right, Runs);
            table.Add($"d) per run: gate admission while the others' clients start (request -> admitted)", gate.Admissions.Skip(warm).ToList(), "ms");
            table.Note($"d) Flink /jobs/overview requests during the {Runs} runs: {polls} ({polls / wall.TotalSeconds:0} per second, shared by all runs).");
        }
    }

    /// <summary>1.0 to 2.99 s, so that jobs end at different moments.</summary>
    private static TimeSpan JobTime(int i) => TimeSpan.FromMilliseconds(1000 + (10 * i));
}
