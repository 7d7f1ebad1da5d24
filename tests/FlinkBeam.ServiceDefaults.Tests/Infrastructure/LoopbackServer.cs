using System.Collections.Concurrent;
using System.Net;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>A request as a loopback server saw it.</summary>
internal sealed record RecordedRequest(
    int Number,
    string Method,
    string PathAndQuery,
    string Body,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A <see cref="LoopbackHttpServer"/> whose answer is programmed per test; it records every request it receives,
/// numbered from 1 in arrival order.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private LoopbackHttpServer _server = null!;
    private int _count;

    public Uri BaseAddress => _server.Url;

    public int RequestCount => Volatile.Read(ref _count);

    public IReadOnlyList<RecordedRequest> Requests => _requests.OrderBy(r => r.Number).ToArray();

    /// <param name="respond">Writes the response; receives the request number (1-based).</param>
    /// <param name="protocols">HTTP/2 only is needed for cleartext gRPC (prior knowledge).</param>
    public static async Task<LoopbackServer> StartAsync(
        Func<HttpContext, RecordedRequest, Task> respond,
        HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var recorder = new LoopbackServer();
        recorder._server = await LoopbackHttpServer.StartAsync(protocols, async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new RecordedRequest(
                Interlocked.Increment(ref recorder._count),
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                body,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            recorder._requests.Enqueue(request);
            await respond(context, request);
        }, TestContext.Current.CancellationToken);
        return recorder;
    }

    /// <summary>Answers every request with <paramref name="status"/>.</summary>
    public static Task<LoopbackServer> StartAsync(HttpStatusCode status) =>
        StartAsync((context, _) =>
        {
            context.Response.StatusCode = (int)status;
            return Task.CompletedTask;
        });

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
