using System.Net.Http.Headers;

namespace FlinkBeam.Testing;

/// <summary>An open <c>GET</c> of a text/event-stream over real HTTP, read with <see cref="EventStreamReader"/>.</summary>
public sealed class EventStreamConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly EventStreamReader _reader;

    private EventStreamConnection(HttpResponseMessage response, EventStreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public EventStreamReader Reader => _reader;

    /// <summary>Every event and comment read so far, in order.</summary>
    public List<ServerSentEvent> Received { get; } = [];

    /// <summary>Opens <paramref name="path"/>, with a <c>Last-Event-ID</c> header when <paramref name="lastEventId"/> is given.</summary>
    public static async Task<EventStreamConnection> OpenAsync(HttpClient http, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new EventStreamConnection(response, new EventStreamReader(stream));
    }

    /// <summary>The next event or comment (kept in <see cref="Received"/>); null when the stream ended cleanly.</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        var next = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            Received.Add(next);
        }

        return next;
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds for what was read by this call, within <paramref name="timeout"/> (a bound so
    /// a test cannot hang, not a measured duration); returns what this call read.
    /// </summary>
    public async Task<List<ServerSentEvent>> ReadUntilAsync(Func<IReadOnlyList<ServerSentEvent>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(done);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var read = new List<ServerSentEvent>();
        while (!done(read))
        {
            ServerSentEvent? next;
            try
            {
                next = await ReadAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The event stream did not deliver what was awaited within {timeout}; it delivered:\n{string.Join('\n', read)}");
            }

            read.Add(next ?? throw new InvalidOperationException($"The event stream ended first; it delivered:\n{string.Join('\n', read)}"));
        }

        return read;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
