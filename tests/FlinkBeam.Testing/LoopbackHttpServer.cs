using System.Net;
using FlinkBeam.Cluster.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an ephemeral port, answering every request with one handler.
/// HTTP/1.1 for REST fakes; HTTP/2 only means h2c by prior knowledge, as gRPC clients speak it without TLS.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:&lt;port&gt;".</summary>
    public string HostAndPort => $"127.0.0.1:{Port}";

    /// <summary>"http://127.0.0.1:&lt;port&gt;/".</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts a server on an ephemeral port that answers every request with <paramref name="handler"/>.</summary>
    public static Task<LoopbackHttpServer> StartAsync(HttpProtocols protocols, RequestDelegate handler, CancellationToken ct = default) =>
        StartAsync(protocols, 0, handler, ct);

    /// <summary>Starts a server on <paramref name="port"/> (0: an ephemeral one) that answers every request with <paramref name="handler"/>.</summary>
    public static Task<LoopbackHttpServer> StartAsync(HttpProtocols protocols, int port, RequestDelegate handler, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartAsync(protocols, port, static _ => { }, app => app.Run(handler), ct);
    }

    /// <summary>
    /// Starts a server on <paramref name="port"/> (0: an ephemeral one) whose services <paramref name="configure"/> adds
    /// and whose endpoints <paramref name="map"/> maps, e.g. a gRPC service.
    /// </summary>
    public static async Task<LoopbackHttpServer> StartAsync(
        HttpProtocols protocols, int port, Action<IServiceCollection> configure, Action<WebApplication> map, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port, listen => listen.Protocols = protocols);
            // Fakes are driven by tests that may hold a stream open for a while (slow answers, deadlines).
            options.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
            options.Limits.MinRequestBodyDataRate = null;
            options.Limits.MinResponseDataRate = null;
        });
        configure(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        return new LoopbackHttpServer(app, new Uri(address).Port);
    }

    /// <summary>Starts a gRPC server (HTTP/2) on <paramref name="port"/> (0: an ephemeral one) that serves <paramref name="service"/>.</summary>
    public static Task<LoopbackHttpServer> StartGrpcAsync<TService>(TService service, int port, CancellationToken ct = default)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(service);
        return StartAsync(
            HttpProtocols.Http2,
            port,
            services =>
            {
                services.AddGrpc();
                services.AddSingleton(service);
            },
            app => app.MapGrpcService<TService>(),
            ct);
    }

    /// <summary>Stops the server, aborting requests still in flight after a short grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
