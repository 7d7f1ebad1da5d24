using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>A request as a loopback server saw it.</summary>
internal sealed record RecordedRequest(
    int Number,
    string Method,
    string PathAndQuery,
    string Body,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a random port whose answer is programmed per test; it records every
/// request it receives, numbered from 1 in arrival order.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _count;

    private LoopbackServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int RequestCount => Volatile.Read(ref _count);

    public IReadOnlyList<RecordedRequest> Requests => _requests.OrderBy(r => r.Number).ToArray();

    /// <param name="respond">Writes the response; receives the request number (1-based).</param>
    /// <param name="protocols">HTTP/2 only is needed for cleartext gRPC (prior knowledge).</param>
    public static async Task<LoopbackServer> StartAsync(
        Func<HttpContext, RecordedRequest, Task> respond,
        HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        var app = builder.Build();
        var server = new LoopbackServer(app);

        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var number = Interlocked.Increment(ref server._count);
            var request = new RecordedRequest(
                number,
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                body,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            server._requests.Enqueue(request);
            await respond(context, request);
        });

        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    /// <summary>Answers every request with <paramref name="status"/>.</summary>
    public static Task<LoopbackServer> StartAsync(HttpStatusCode status) =>
        StartAsync((context, _) =>
        {
            context.Response.StatusCode = (int)status;
            return Task.CompletedTask;
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
