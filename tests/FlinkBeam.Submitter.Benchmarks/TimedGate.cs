using System.Collections.Concurrent;
using FlinkBeam.Submitter.Readiness;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>The real gate, with the time each admitted run waited for the gate's answer recorded (as the gate measures it).</summary>
internal sealed class TimedGate(IReadinessGate gate) : IReadinessGate
{
    private readonly ConcurrentQueue<double> _admissions = new();

    /// <summary>Milliseconds from each run's request to the gate's admission.</summary>
    public IReadOnlyList<double> Admissions => _admissions.ToArray();

    public Task<ReadinessReport> CheckAsync(int parallelism, CancellationToken cancellationToken = default) =>
        gate.CheckAsync(parallelism, cancellationToken);

    public Task<ReadinessReport> WaitUntilReadyAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        gate.WaitUntilReadyAsync(parallelism, timeout, cancellationToken);

    public async Task<GateAdmission> AdmitAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var admission = await gate.AdmitAsync(parallelism, timeout, cancellationToken).ConfigureAwait(false);
        if (admission.Admitted)
        {
            _admissions.Enqueue(admission.Waited.TotalMilliseconds);
        }

        return admission;
    }
}
