using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Testing;

/// <summary>
/// A loopback Beam Job API server: the service generated from the project's proto, hosted by Grpc.AspNetCore on Kestrel
/// with cleartext HTTP/2 (as job servers serve it). Answers GetJobs, GetState and Cancel from the jobs a test adds,
/// records every call, and injects the failures a test queues.
/// </summary>
public sealed class FakeBeamJobServer : IAsyncDisposable
{
    private readonly FakeJobService _service = new();
    private LoopbackHttpServer? _server;

    private FakeBeamJobServer()
    {
    }

    /// <summary>"127.0.0.1:&lt;port&gt;".</summary>
    public string HostAndPort => Server.HostAndPort;

    /// <summary>The bound port.</summary>
    public int Port => Server.Port;

    /// <summary>"http://127.0.0.1:&lt;port&gt;/", the address a gRPC channel takes.</summary>
    public Uri Url => Server.Url;

    /// <summary>The jobs the server knows, in the order added.</summary>
    public IReadOnlyList<BeamJobInfo> Jobs => _service.Jobs;

    /// <summary>Ids of jobs a Cancel call named (known jobs only), in arrival order.</summary>
    public IReadOnlyList<string> CancelledJobIds => _service.CancelledJobIds;

    /// <summary>Every call received, in arrival order.</summary>
    public IReadOnlyList<FakeGrpcCall> Calls => _service.Calls;

    private LoopbackHttpServer Server => _server ?? throw new ObjectDisposedException(nameof(FakeBeamJobServer));

    /// <summary>Starts the server on 127.0.0.1 with an ephemeral port.</summary>
    public static Task<FakeBeamJobServer> StartAsync(CancellationToken ct = default) => StartAsync(0, ct);

    /// <summary>Starts the server on 127.0.0.1:<paramref name="port"/>, e.g. a port a client was already told to use.</summary>
    public static async Task<FakeBeamJobServer> StartAsync(int port, CancellationToken ct = default)
    {
        var fake = new FakeBeamJobServer();
        fake._server = await LoopbackHttpServer.StartGrpcAsync(fake._service, port, ct).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Adds (or replaces) a job.</summary>
    public void AddJob(string jobId, string jobName, BeamJobState state) => _service.AddJob(jobId, jobName, state);

    /// <summary>Adds a job with an id shaped like the job server's, "&lt;job_name&gt;_&lt;uuid&gt;", and returns the id.</summary>
    public string AddJob(string jobName, BeamJobState state)
    {
        var id = $"{jobName}_{Guid.NewGuid()}";
        AddJob(id, jobName, state);
        return id;
    }

    /// <summary>Changes a job's state.</summary>
    /// <exception cref="ArgumentException">No such job.</exception>
    public void SetJobState(string jobId, BeamJobState state) => _service.SetJobState(jobId, state);

    /// <summary>Makes the next call of <paramref name="method"/> ("GetJobs", "GetState", "Cancel") fail; queued calls fail in order.</summary>
    public void FailNext(string method, FakeGrpcFailure failure) => _service.FailNext(method, failure);

    /// <summary>How many calls of <paramref name="method"/> arrived.</summary>
    public int CallCount(string method) => _service.Calls.Count(c => c.Method == method);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
