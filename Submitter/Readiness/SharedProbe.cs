namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Lets the runs waiting at the gate share a probe of the cluster: a caller that asks while an answer is in flight
/// gets that answer instead of sending its own request; once it has arrived, the next caller asks afresh, so no
/// answer is older than the request it joined.
/// </summary>
/// <remarks>
/// The shared call runs without the caller's cancellation (one caller giving up must not fail the others); the
/// probe's own condition timeout bounds it.
/// </remarks>
internal sealed class SharedProbe(IReadinessProbe inner) : IReadinessProbe
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Task<IReadOnlyList<ReadinessCondition>>> _inFlight = [];

    public Task<IReadOnlyList<ReadinessCondition>> CheckAsync(int parallelism, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<ReadinessCondition>> answer;
        lock (_lock)
        {
            if (!_inFlight.TryGetValue(parallelism, out answer!) || answer.IsCompleted)
            {
                answer = inner.CheckAsync(parallelism, CancellationToken.None);
                _inFlight[parallelism] = answer;
            }
        }

        return answer.WaitAsync(cancellationToken);
    }

    public IReadOnlyList<ReadinessCondition> Unanswered(int parallelism, string observed) => inner.Unanswered(parallelism, observed);
}
