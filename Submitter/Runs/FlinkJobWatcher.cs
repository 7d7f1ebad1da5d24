using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// One answer of Flink's <c>/jobs/overview</c>, or the error that replaced it. <see cref="At"/> is when it was asked:
/// the list says what Flink knew then, however late the answer came (a loaded machine can take seconds).
/// </summary>
internal sealed record JobsSnapshot(long Version, IReadOnlyList<FlinkJobSummary>? Jobs, Exception? Error, DateTimeOffset At);

/// <summary>
/// Polls <c>/jobs/overview</c> once for all runs being followed, so 50 runs cost one request per tick, not 50.
/// The interval starts at <see cref="SupervisionTimings.PollMin"/> after any change and doubles up to
/// <see cref="SupervisionTimings.PollMax"/> while nothing changes; it only polls while someone subscribes.
/// </summary>
internal sealed class FlinkJobWatcher : IAsyncDisposable
{
    private readonly FlinkRestClient _flink;
    private readonly SupervisionTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly BackgroundLoop _loop;
    private JobsSnapshot _latest;
    private TaskCompletionSource<JobsSnapshot> _next = NewSignal<JobsSnapshot>();
    private TaskCompletionSource _nudge = NewSignal();
    private int _subscribers;

    public FlinkJobWatcher(FlinkRestClient flink, SupervisionTimings timings, TimeProvider time, ILogger logger)
    {
        _flink = flink;
        _timings = timings;
        _time = time;
        _logger = logger;
        _latest = new JobsSnapshot(0, null, null, time.GetUtcNow());
        _loop = new BackgroundLoop(PollLoopAsync);
    }

    /// <summary>Keeps the watcher polling until the returned handle is disposed.</summary>
    public IDisposable Subscribe()
    {
        lock (_gate)
        {
            _subscribers++;
            _loop.Start();
        }

        return new Subscription(this);
    }

    /// <summary>The first snapshot newer than <paramref name="afterVersion"/>.</summary>
    public Task<JobsSnapshot> NextAsync(long afterVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _latest.Version > afterVersion ? Task.FromResult(_latest) : _next.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Polls now instead of at the next tick (a client exited; a run wants a fresh look).</summary>
    public void Nudge()
    {
        lock (_gate)
        {
            _nudge.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task PollLoopAsync(CancellationToken stopping)
    {
        var delay = _timings.PollMin;
        IReadOnlyList<FlinkJobSummary>? previous = null;
        while (!stopping.IsCancellationRequested)
        {
            Task nudge;
            lock (_gate)
            {
                if (_subscribers == 0)
                {
                    _loop.Idle();
                    return;
                }

                if (_nudge.Task.IsCompleted)
                {
                    _nudge = NewSignal();
                }

                nudge = _nudge.Task;
            }

            IReadOnlyList<FlinkJobSummary>? jobs = null;
            Exception? error = null;
            var asked = _time.GetUtcNow();
            try
            {
                jobs = await _flink.GetJobsOverviewAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                error = ex;
                _logger.LogDebug(ex, "Polling Flink's job list failed");
            }

            Publish(jobs, error, asked);
            if (jobs is not null)
            {
                delay = Changed(previous, jobs) ? _timings.PollMin : Min(delay * 2, _timings.PollMax);
                previous = jobs;
            }
            else
            {
                delay = Min(Max(delay * 2, _timings.PollMax), _timings.PollErrorMax);
            }

            try
            {
                await Task.WhenAny(nudge, Task.Delay(delay, _time, stopping)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Publish(IReadOnlyList<FlinkJobSummary>? jobs, Exception? error, DateTimeOffset asked)
    {
        TaskCompletionSource<JobsSnapshot> signal;
        JobsSnapshot snapshot;
        lock (_gate)
        {
            snapshot = new JobsSnapshot(_latest.Version + 1, jobs, error, asked);
            _latest = snapshot;
            signal = _next;
            _next = NewSignal<JobsSnapshot>();
        }

        signal.TrySetResult(snapshot);
    }

    private static bool Changed(IReadOnlyList<FlinkJobSummary>? previous, IReadOnlyList<FlinkJobSummary> current)
    {
        if (previous is null || previous.Count != current.Count)
        {
            return true;
        }

        var before = previous.ToDictionary(j => j.Id, j => j.State, StringComparer.Ordinal);
        return current.Any(j => !before.TryGetValue(j.Id, out var state) || state != j.State);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TaskCompletionSource<T> NewSignal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Subscription(FlinkJobWatcher watcher) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (watcher._gate)
                {
                    watcher._subscribers--;
                }
            }
        }
    }
}
