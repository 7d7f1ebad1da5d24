using System.Threading.Channels;

namespace FlinkBeam.Submitter.Events;

/// <summary>
/// One client of <see cref="RunEvents"/>: what it gets first (the fill or the replay after its cursor, ending with
/// <c>synced</c>), then the live events in order, through a queue of its own. A client that falls so far behind that a
/// pipeline event finds its queue full is let go (<see cref="FellBehind"/>): its live events end, and it resumes with its
/// cursor. Output lines and metrics, which the next ones replace, are skipped for it instead while its queue is three
/// quarters full (<see cref="Skipped"/>). Nothing it does slows the runs or the other clients.
/// </summary>
public sealed class RunEventSubscription : IDisposable
{
    /// <summary>How many live events a client's queue holds.</summary>
    public const int Capacity = 4096;

    private const int LossyLimit = Capacity * 3 / 4;

    private readonly RunEvents _hub;
    private readonly Channel<RunEvent> _queue = Channel.CreateBounded<RunEvent>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
    private long _skipped;
    private volatile bool _fellBehind;

    internal RunEventSubscription(RunEvents hub) => _hub = hub;

    /// <summary>The fill, or the replay after the client's cursor, then <c>synced</c>.</summary>
    public IReadOnlyList<RunEvent> Initial { get; internal set; } = [];

    /// <summary>The live events, in the order of the stream; completes when the client is let go or the Submitter stops.</summary>
    public ChannelReader<RunEvent> Live => _queue.Reader;

    /// <summary>True once the client was let go because its queue was full.</summary>
    public bool FellBehind => _fellBehind;

    /// <summary>Output lines and metrics skipped for this client because its queue was filling up.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Stops the live events and forgets the client.</summary>
    public void Dispose()
    {
        _hub.Unsubscribe(this);
        _queue.Writer.TryComplete();
    }

    /// <summary>Queues an event the client must not miss; false (and the client is let go) when its queue is full.</summary>
    internal bool Deliver(RunEvent e)
    {
        if (_queue.Writer.TryWrite(e))
        {
            return true;
        }

        _fellBehind = true;
        _queue.Writer.TryComplete();
        return false;
    }

    /// <summary>Queues an event the next one replaces, unless the queue is filling up.</summary>
    internal void Offer(RunEvent e)
    {
        if (_queue.Reader.Count >= LossyLimit || !_queue.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _skipped);
        }
    }

    internal void End() => _queue.Writer.TryComplete();
}
