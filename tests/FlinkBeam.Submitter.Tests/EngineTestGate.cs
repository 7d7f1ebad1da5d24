using FlinkBeam.Submitter.Readiness;

namespace FlinkBeam.Submitter.Tests;

/// <summary>A readiness gate the engine tests control: ready, not ready, or blocked until released or cancelled.</summary>
internal sealed class EngineTestGate : IReadinessGate
{
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public EngineTestGate(bool ready = true)
    {
        Ready = ready;
        _release.SetResult();
    }

    public bool Ready { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The parallelism of every call, in order.</summary>
    public List<int> Parallelisms { get; } = [];

    /// <summary>Makes the next waits block until <see cref="Release"/> or their cancellation.</summary>
    public void Block() => _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    public Task<ReadinessReport> CheckAsync(int parallelism, CancellationToken cancellationToken = default) =>
        Task.FromResult(Report(parallelism));

    public async Task<ReadinessReport> WaitUntilReadyAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (Parallelisms)
        {
            Parallelisms.Add(parallelism);
        }

        await _release.Task.WaitAsync(cancellationToken);
        return Report(parallelism);
    }

    public async Task<GateAdmission> AdmitAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(await WaitUntilReadyAsync(parallelism, timeout, cancellationToken), release: null);

    private ReadinessReport Report(int parallelism) => new(
    [
        new ReadinessCondition("flink-slots", Ready, $">= {parallelism} slots available", Ready ? $"{parallelism} available" : "0 available"),
        new ReadinessCondition("job-server", true, "GetJobs answers", "answered"),
    ]);
}
