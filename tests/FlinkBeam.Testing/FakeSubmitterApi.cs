using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.Testing;

/// <summary>
/// A loopback Submitter API (HTTP/1.1) for the dashboard's side of it, speaking the Submitter's wire contract:
/// <c>GET /runs/events</c> as server-sent events (<c>retry: 1000</c> first; every event with an id <c>&lt;stream&gt;-&lt;seq&gt;</c>
/// and one JSON object per <c>data:</c> line; with no usable <c>Last-Event-ID</c> a fill of every pipeline's latest
/// <c>pipeline</c> event, otherwise a replay of the events after it; then <c>synced</c>, then live events), and every other
/// request answered by <see cref="Answer"/> (Problem Details by default 404). Every request is recorded.
/// </summary>
public sealed class FakeSubmitterApi : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<(long Seq, string Frame)> _log = [];
    private readonly Dictionary<string, string> _pipelines = new(StringComparer.Ordinal);
    private readonly List<Channel<string>> _streams = [];
    private readonly ConcurrentQueue<FakeSubmitterRequest> _requests = new();
    private LoopbackHttpServer? _server;
    private string _streamId = NewStreamId();
    private long _seq;

    private FakeSubmitterApi()
    {
    }

    /// <summary>"http://127.0.0.1:&lt;port&gt;/".</summary>
    public Uri Url => _server!.Url;

    /// <summary>The bound port.</summary>
    public int Port => _server!.Port;

    /// <summary>
    /// The answer to every request; a 200 to <c>GET /runs/events</c> opens the stream. By default the stream opens and
    /// anything else is 404 Problem Details.
    /// </summary>
    public Func<FakeSubmitterRequest, FakeSubmitterAnswer> Answer { get; set; } = request =>
        request.Path == "/runs/events" ? new FakeSubmitterAnswer(200, null) : FakeSubmitterAnswer.Problem(404, "Not Found", "No such endpoint.");

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<FakeSubmitterRequest> Requests => _requests.ToList();

    /// <summary>The streams open now.</summary>
    public int OpenStreams
    {
        get
        {
            lock (_gate)
            {
                return _streams.Count;
            }
        }
    }

    public static async Task<FakeSubmitterApi> StartAsync(CancellationToken cancellationToken = default)
    {
        var api = new FakeSubmitterApi();
        api._server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, api.HandleAsync, cancellationToken).ConfigureAwait(false);
        return api;
    }

    /// <summary>
    /// Records <paramref name="json"/> as the pipeline's latest state (what a fill sends) and sends it as a <c>pipeline</c> event.
    /// </summary>
    public void SetPipeline(string pipeline, string json)
    {
        lock (_gate)
        {
            _pipelines[pipeline] = json;
            SendLocked("pipeline", json);
        }
    }

    /// <summary>Sends an event of any name to the open streams (and keeps it for replay).</summary>
    public void Send(string eventName, string json)
    {
        lock (_gate)
        {
            SendLocked(eventName, json);
        }
    }

    /// <summary>Ends every open stream, as a Submitter that stops does.</summary>
    public void DropStreams()
    {
        lock (_gate)
        {
            foreach (var stream in _streams)
            {
                stream.Writer.TryComplete();
            }

            _streams.Clear();
        }
    }

    /// <summary>Plays a restarted Submitter: open streams end, the stream id changes and earlier events can no longer be replayed.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            DropStreams();
            _streamId = NewStreamId();
            _log.Clear();
        }
    }

    private void SendLocked(string eventName, string json)
    {
        var seq = ++_seq;
        var frame = Frame(eventName, json, seq);
        _log.Add((seq, frame));
        foreach (var stream in _streams)
        {
            stream.Writer.TryWrite(frame);
        }
    }

    private string Frame(string eventName, string json, long seq) =>
        string.Create(CultureInfo.InvariantCulture, $"event: {eventName}\nid: {_streamId}-{seq}\ndata: {json}\n\n");

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var recorded = new FakeSubmitterRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            request.Headers.Authorization.ToString(),
            request.Headers["Last-Event-ID"].ToString(),
            request.ContentType,
            body);
        _requests.Enqueue(recorded);

        var answer = Answer(recorded);
        if (request.Method == HttpMethods.Get && request.Path == "/runs/events" && answer.Status == 200)
        {
            await StreamAsync(context, recorded.LastEventId).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.Json is { } json)
        {
            context.Response.ContentType = answer.Status >= 400 ? "application/problem+json" : "application/json";
            await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task StreamAsync(HttpContext context, string lastEventId)
    {
        var channel = Channel.CreateUnbounded<string>();
        lock (_gate)
        {
            channel.Writer.TryWrite("retry: 1000\n\n");
            var cursor = Cursor(lastEventId);
            var frames = cursor is { } after
                ? _log.Where(e => e.Seq > after).Select(e => e.Frame)
                : _pipelines.Values.Select(json => Frame("pipeline", json, _seq));
            foreach (var frame in frames)
            {
                channel.Writer.TryWrite(frame);
            }

            channel.Writer.TryWrite(Frame("synced", "{}", _seq));
            _streams.Add(channel);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await foreach (var frame in channel.Reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            lock (_gate)
            {
                _streams.Remove(channel);
            }
        }
    }

    // A cursor of this stream whose events are still held; anything else means "start with the fill".
    private long? Cursor(string lastEventId)
    {
        var prefix = _streamId + "-";
        return lastEventId.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(lastEventId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            && seq <= _seq
                ? seq
                : null;
    }

    private static string NewStreamId() => Guid.NewGuid().ToString("N")[..8];

    public async ValueTask DisposeAsync()
    {
        DropStreams();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A request the fake Submitter API received.</summary>
public sealed record FakeSubmitterRequest(
    string Method, string Path, string Query, string Authorization, string LastEventId, string? ContentType, string Body);

/// <summary>The fake's answer to one request: a status and, when there is one, a JSON body.</summary>
public sealed record FakeSubmitterAnswer(int Status, string? Json)
{
    /// <summary>Problem Details (RFC 9457) with the Submitter's <c>field</c> extension when given.</summary>
    public static FakeSubmitterAnswer Problem(int status, string title, string detail, string? field = null) =>
        new(status, System.Text.Json.JsonSerializer.Serialize(
            field is null
                ? new Dictionary<string, object> { ["status"] = status, ["title"] = title, ["detail"] = detail }
                : new Dictionary<string, object> { ["status"] = status, ["title"] = title, ["detail"] = detail, ["field"] = field }));
}
