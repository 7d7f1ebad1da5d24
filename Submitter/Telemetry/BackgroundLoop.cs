namespace FlinkBeam.Submitter.Telemetry;

/// <summary>
/// A loop the Submitter runs in the background, untraced (<see cref="BackgroundWork.StartUntraced"/>): started when
/// there is work, stopped and awaited once when its owner stops. The one place a polling loop's start, stop and disposal
/// are written; the owners (the readiness gate, Flink's job list, the instance lease, the search for runs whose
/// Submitter is gone) keep only what their loop does.
/// </summary>
internal sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _body;
    private readonly CancellationTokenSource _stop = new();
    private Task? _task;
    private bool _running;
    private int _disposed;

    /// <param name="body">The loop; it returns when <see cref="Stopping"/> is cancelled, or when it has nothing left to do (see <see cref="Idle"/>).</param>
    public BackgroundLoop(Func<CancellationToken, Task> body) => _body = body;

    /// <summary>Cancelled when the loop is stopped.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>
    /// A loop that waits <paramref name="interval"/>, then runs <paramref name="tick"/>, until it is stopped. A tick
    /// reports its own failures; one that throws ends the loop.
    /// </summary>
    public static BackgroundLoop Every(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> tick) =>
        new(async stopping =>
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, time, stopping).ConfigureAwait(false);
                    await tick(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        });

    /// <summary>
    /// Starts the loop unless it runs or has been stopped. An owner whose loop returns when idle calls this under the
    /// same lock under which the loop calls <see cref="Idle"/>, so work that arrives while the loop ends starts it again.
    /// </summary>
    public void Start()
    {
        if (_running || _stop.IsCancellationRequested)
        {
            return;
        }

        _running = true;
        Volatile.Write(ref _task, BackgroundWork.StartUntraced(() => _body(_stop.Token)));
    }

    /// <summary>Called by the loop, under its owner's lock, as it returns because it has nothing left to do.</summary>
    public void Idle() => _running = false;

    /// <summary>Stops the loop and waits for it to return; its failure, if any, is not rethrown.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _task) is { } task)
        {
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
