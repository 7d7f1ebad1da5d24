using System.Text.Json;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Events;

/// <summary>
/// The stream of run changes, for any number of clients (<c>GET /runs/events</c>): a <c>pipeline</c> event with the state
/// of a pipeline whenever one of its runs changes, the lines clients print, and the figures of each metrics round.
/// Every event gets the next number of this process's stream; the last <see cref="Kept"/> pipeline events are kept, so a
/// client that lost its connection resumes after the last one it saw. Output lines and metrics are live only: the next
/// ones replace them.
/// </summary>
/// <remarks>
/// The writers only mark a pipeline as changed (<see cref="RunChanged"/>) and return: its summary is read from the
/// history once, by one background loop, and shared by every client. Changes that arrive while it reads are summarized
/// together in the next read, so a burst of changes costs a few reads and each client sees the newest state, within
/// milliseconds of the record being stored. A client's fill reads the summary of every catalog pipeline when it subscribes.
/// Until a first client subscribes no cursor of the stream exists, so nothing needs to be kept: a process that nobody
/// listens to (the command line's <c>run</c>) never reads a summary.
/// </remarks>
public sealed class RunEvents : IAsyncDisposable
{
    /// <summary>How many pipeline events are kept for clients that resume.</summary>
    public const int Kept = 4096;

    private readonly Func<IEnumerable<string>> _pipelines;
    private readonly Func<string, PipelineSummary> _summarize;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<RunEvent> _kept = new(Kept);
    private readonly List<RunEventSubscription> _subscribers = [];
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly BackgroundLoop _summarizer;
    private long _head;
    private long _evictedUpTo;
    private int _subscriberCount;
    private bool _subscribedOnce;
    private bool _disposed;

    /// <param name="pipelines">The catalog's pipelines, for a client's fill.</param>
    /// <param name="summarize">The history's summary of one pipeline.</param>
    /// <param name="logger">For summaries that cannot be read.</param>
    public RunEvents(Func<IEnumerable<string>> pipelines, Func<string, PipelineSummary> summarize, ILogger<RunEvents> logger)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(summarize);
        ArgumentNullException.ThrowIfNull(logger);
        _pipelines = pipelines;
        _summarize = summarize;
        _logger = logger;
        _summarizer = new BackgroundLoop(SummarizeAsync);
    }

    /// <summary>This process's stream: the first part of every cursor, new each time the Submitter starts.</summary>
    public string Stream { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Whether any client listens now (so that live events nobody would get are not even written).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriberCount) > 0;

    /// <summary>A run of <paramref name="pipeline"/> was stored: its clients get the pipeline's new state.</summary>
    public void RunChanged(string pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        lock (_gate)
        {
            if (!_disposed && _subscribedOnce && _changed.Add(pipeline))
            {
                _summarizer.Start();
            }
        }
    }

    /// <summary>A line a run's client printed; it reaches the clients listening now.</summary>
    public void Output(string pipeline, string runId, string line)
    {
        if (HasSubscribers)
        {
            PublishLive(RunEventNames.Output, JsonSerializer.Serialize(new ClientOutputLine(pipeline, runId, line), EventsJsonContext.Default.ClientOutputLine));
        }
    }

    /// <summary>An event the next one of its kind replaces (<paramref name="data"/>: one JSON object); it reaches the clients listening now.</summary>
    public void PublishLive(string name, string data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        lock (_gate)
        {
            var e = Next(name, data);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(e);
            }
        }
    }

    /// <summary>
    /// A new client. With <paramref name="cursor"/> (the last id it saw) from this stream, still followed by kept events
    /// only, it gets those events; otherwise the state of every catalog pipeline. Then <c>synced</c>, then what happens next.
    /// </summary>
    /// <exception cref="Store.RunStoreException">The history cannot be read for the fill.</exception>
    public RunEventSubscription Subscribe(string? cursor)
    {
        var subscription = new RunEventSubscription(this);
        long head;
        List<RunEvent>? replay = null;
        lock (_gate)
        {
            head = _head;
            if (RunEventCursor.ResumeAfter(cursor, Stream, _evictedUpTo, head) is { } after)
            {
                replay = _kept.Where(e => e.Sequence > after).ToList();
            }

            if (_disposed)
            {
                subscription.End();
            }
            else
            {
                _subscribers.Add(subscription);
                _subscriberCount++;
                _subscribedOnce = true;
            }
        }

        try
        {
            // Summaries read now hold every change up to the head, perhaps more: the live events after it repeat, never miss.
            var initial = replay ?? _pipelines().Select(p => PipelineEvent(head, Summary(p))).ToList();
            initial.Add(new RunEvent(head, Cursor(head), RunEventNames.Synced, "{}"));
            subscription.Initial = initial;
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }

            _subscribers.Clear();
            _subscriberCount = 0;
        }

        await _summarizer.DisposeAsync().ConfigureAwait(false);
    }

    internal void Unsubscribe(RunEventSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscribers.Remove(subscription))
            {
                _subscriberCount--;
            }
        }
    }

    private Task SummarizeAsync(CancellationToken stopping)
    {
        // Off the writers' path, on the thread pool: a read of the history never holds up a run.
        while (!stopping.IsCancellationRequested)
        {
            string[] changed;
            lock (_gate)
            {
                if (_changed.Count == 0)
                {
                    _summarizer.Idle();
                    return Task.CompletedTask;
                }

                changed = [.. _changed];
                _changed.Clear();
            }

            foreach (var pipeline in changed)
            {
                PipelineSummary summary;
                try
                {
                    summary = Summary(pipeline);
                }
                catch (Exception e)
                {
                    // The next change of the pipeline tries again; clients keep the state they had.
                    _logger.LogWarning("The state of pipeline {Pipeline} could not be read from the history for the event stream: {Error}", pipeline, e.Message);
                    continue;
                }

                Publish(summary);
            }
        }

        return Task.CompletedTask;
    }

    private PipelineSummary Summary(string pipeline) => _summarize(pipeline);

    private void Publish(PipelineSummary summary)
    {
        var data = Json(summary);
        lock (_gate)
        {
            var e = Next(RunEventNames.Pipeline, data);
            if (_kept.Count == Kept)
            {
                _evictedUpTo = _kept.Dequeue().Sequence;
            }

            _kept.Enqueue(e);
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Deliver(e))
                {
                    _logger.LogInformation("An event stream client fell {Count} events behind; its stream ends so that it resumes from its last event", RunEventSubscription.Capacity);
                    _subscribers.RemoveAt(i);
                    _subscriberCount--;
                }
            }
        }
    }

    // Under the lock.
    private RunEvent Next(string name, string data)
    {
        var sequence = ++_head;
        return new RunEvent(sequence, Cursor(sequence), name, data);
    }

    private RunEvent PipelineEvent(long sequence, PipelineSummary summary) =>
        new(sequence, Cursor(sequence), RunEventNames.Pipeline, Json(summary));

    private string Cursor(long sequence) => new RunEventCursor(Stream, sequence).ToString();

    private static string Json(PipelineSummary summary) => JsonSerializer.Serialize(summary, EventsJsonContext.Default.PipelineSummary);
}
