using System.Diagnostics;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Lets the runs waiting at the gate share one probe of the cluster: a caller gets the answer in flight, or one that
/// started less than <paramref name="reuse"/> ago, instead of sending its own request. Without it, every waiting run
/// polls Flink, the job server and each worker pool on its own fast schedule.
/// </summary>
/// <remarks>
/// The shared call runs without the caller's cancellation (one caller giving up must not fail the others); the
/// probe's own condition timeout bounds it. The window is measured in real time: it limits the request rate the
/// cluster sees, whatever clock paces the callers.
/// </remarks>
internal sealed class SharedProbe(IReadinessProbe inner, TimeSpan reuse) : IReadinessProbe
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (Task<IReadOnlyList<ReadinessCondition>> Answer, long Started)> _latest = [];

    public Task<IReadOnlyList<ReadinessCondition>> CheckAsync(int parallelism, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<ReadinessCondition>> answer;
        lock (_lock)
        {
            if (!_latest.TryGetValue(parallelism, out var latest)
                || (latest.Answer.IsCompleted && Stopwatch.GetElapsedTime(latest.Started) >= reuse))
            {
                latest = (inner.CheckAsync(parallelism, CancellationToken.None), Stopwatch.GetTimestamp());
                _latest[parallelism] = latest;
            }

            answer = latest.Answer;
        }

        return answer.WaitAsync(cancellationToken);
    }

    public IReadOnlyList<ReadinessCondition> Unanswered(int parallelism, string observed) => inner.Unanswered(parallelism, observed);
}
