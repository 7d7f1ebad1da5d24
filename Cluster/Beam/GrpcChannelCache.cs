using System.Collections.Concurrent;
using FlinkBeam.Cluster.Topology;
using Grpc.Net.Client;

namespace FlinkBeam.Cluster.Beam;

/// <summary>
/// Cleartext gRPC channels for the endpoints a process probes, one per host:port and all over one connection pool, so
/// a probe repeated every few milliseconds reuses its connection instead of opening one per call.
/// </summary>
/// <param name="connectTimeout">The most a new connection may take to open.</param>
public sealed class GrpcChannelCache(TimeSpan connectTimeout) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { ConnectTimeout = connectTimeout };
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The channel to <paramref name="address"/>'s host and port (its scheme and path are ignored).</summary>
    public GrpcChannel For(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _channels.GetOrAdd(
            address.Authority,
            static (authority, handler) => GrpcChannel.ForAddress(
                new Uri($"http://{authority}"), new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false }),
            _handler);
    }

    /// <summary>The channel to <paramref name="address"/>.</summary>
    public GrpcChannel For(HostAndPort address) => For(new Uri($"http://{address}"));

    /// <summary>Closes every channel and their connections.</summary>
    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }

        _channels.Clear();
        _handler.Dispose();
    }
}
