using System.Collections.Concurrent;
using FlinkBeam.Cluster.Beam.Protocol;
using FlinkBeam.Cluster.Topology;
using Grpc.Core;

namespace FlinkBeam.Testing;

/// <summary>
/// A loopback Beam SDK worker pool: the BeamFnExternalWorkerPool service generated from the project's proto, hosted by
/// Grpc.AspNetCore on Kestrel with cleartext HTTP/2 (as a TaskManager's pool serves it on port 50000). Like Beam's
/// pool, it answers StopWorker for a worker it never started with an empty response; it records every worker id asked.
/// </summary>
public sealed class FakeWorkerPool : IAsyncDisposable
{
    private readonly Service _service = new();
    private LoopbackHttpServer? _server;

    private FakeWorkerPool()
    {
    }

    /// <summary>"127.0.0.1:&lt;port&gt;".</summary>
    public string HostAndPort => Server.HostAndPort;

    /// <summary>The bound port.</summary>
    public int Port => Server.Port;

    /// <summary>The worker ids StopWorker calls named, in arrival order.</summary>
    public IReadOnlyList<string> StopWorkerIds => _service.StopWorkerIds.ToList();

    private LoopbackHttpServer Server => _server ?? throw new ObjectDisposedException(nameof(FakeWorkerPool));

    /// <summary>Starts the pool on 127.0.0.1 with an ephemeral port.</summary>
    public static Task<FakeWorkerPool> StartAsync(CancellationToken ct = default) => StartAsync(0, ct);

    /// <summary>Starts the pool on 127.0.0.1:<paramref name="port"/>, e.g. a port a probe was already told to use.</summary>
    public static async Task<FakeWorkerPool> StartAsync(int port, CancellationToken ct = default)
    {
        var fake = new FakeWorkerPool();
        fake._server = await LoopbackHttpServer.StartGrpcAsync(fake._service, port, ct).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Stops the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Service : BeamFnExternalWorkerPool.BeamFnExternalWorkerPoolBase
    {
        public ConcurrentQueue<string> StopWorkerIds { get; } = new();

        public override Task<StopWorkerResponse> StopWorker(StopWorkerRequest request, ServerCallContext context)
        {
            StopWorkerIds.Enqueue(request.WorkerId);
            return Task.FromResult(new StopWorkerResponse());
        }
    }
}
