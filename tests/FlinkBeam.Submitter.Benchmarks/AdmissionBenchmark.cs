using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>
/// e) The gate alone: 200 runs ask the real gate (real probes of the loopback cluster) for admission at once on a ready
/// cluster with room for all, in bursts; each run's wait from its request to the gate's answer, as the gate measures it.
/// </summary>
internal static class AdmissionBenchmark
{
    private const int Runs = 200;
    private const double Goal = 10;

    public static async Task RunAsync(LoopbackCluster cluster, ResultTable table, CancellationToken ct)
    {
        var slots = cluster.Flink.SlotsPerTaskManager;
        cluster.Flink.SlotsPerTaskManager = Runs;
        var options = BenchmarkSetup.Options(cluster, "admission");
        var services = BenchmarkSetup.Gate(options, BenchmarkSetup.PythonCheck(options));
        await using (services.ConfigureAwait(false))
        {
            var gate = services.GetRequiredService<ReadinessGate>();
            var waited = new List<double>();
            for (var round = 0; round < 7; round++)
            {
                var admissions = await Task.WhenAll(Enumerable.Range(0, Runs).Select(_ => gate.AdmitAsync(1, BenchmarkSetup.Patience, ct))).ConfigureAwait(false);
                foreach (var admission in admissions)
                {
                    if (!admission.Admitted)
                    {
                        throw new BenchmarkBrokeException($"A run was refused on a ready cluster: {admission.Report.Describe()}");
                    }

                    admission.Release();
                }

                // Two bursts warm up (the probes' connections, the Python check, the code compiled on first use); five are measured.
                if (round >= 2)
                {
                    waited.AddRange(admissions.Select(a => a.Waited.TotalMilliseconds));
                }

                await Task.Delay(300, ct).ConfigureAwait(false);
            }

            table.Add($"e) gate admission, {Runs} runs asking at once on a ready cluster (request -> admitted)", waited, "ms", Goal);
        }

        cluster.Flink.SlotsPerTaskManager = slots;
    }
}
