using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Beam.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.Testing;

/// <summary>
/// A loopback Beam Job API server: h2c (HTTP/2 without TLS), gRPC length-prefixed frames, grpc-status trailers.
/// Answers GetJobs, GetState and Cancel from the jobs a test adds; other methods get UNIMPLEMENTED.
/// Framing is written here independently of the product's client so that the two check each other.
/// </summary>
public sealed class FakeBeamJobServer : IAsyncDisposable
{
    private const string ServicePath = "/" + BeamJobServiceClient.ServiceName + "/";
    private readonly object _gate = new();
    private readonly List<(string Id, string Name, BeamJobState State)> _jobs = [];
    private readonly List<string> _cancelled = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeGrpcFailure>> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _callCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeGrpcCall> _calls = new();
    private LoopbackHttpServer? _server;

    private FakeBeamJobServer()
    {
    }

    /// <summary>"127.0.0.1:&lt;port&gt;".</summary>
    public string HostAndPort => Server.HostAndPort;

    /// <summary>The bound port.</summary>
    public int Port => Server.Port;

    /// <summary>The jobs the server knows, in the order added.</summary>
    public IReadOnlyList<BeamJobInfo> Jobs
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Select(j => new BeamJobInfo(j.Id, j.Name, j.State)).ToList();
            }
        }
    }

    /// <summary>Ids of jobs a Cancel call named (known jobs only), in arrival order.</summary>
    public IReadOnlyList<string> CancelledJobIds
    {
        get
        {
            lock (_gate)
            {
                return _cancelled.ToList();
            }
        }
    }

    /// <summary>Every call received, in arrival order.</summary>
    public IReadOnlyList<FakeGrpcCall> Calls => _calls.ToArray();

    private LoopbackHttpServer Server => _server ?? throw new ObjectDisposedException(nameof(FakeBeamJobServer));

    /// <summary>Starts the server on 127.0.0.1 with an ephemeral port.</summary>
    public static Task<FakeBeamJobServer> StartAsync(CancellationToken ct = default) => StartAsync(0, ct);

    /// <summary>Starts the server on 127.0.0.1:<paramref name="port"/>, e.g. a port a client was already told to use.</summary>
    public static async Task<FakeBeamJobServer> StartAsync(int port, CancellationToken ct = default)
    {
        var fake = new FakeBeamJobServer();
        fake._server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http2, port, fake.HandleAsync, ct).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Adds (or replaces) a job.</summary>
    public void AddJob(string jobId, string jobName, BeamJobState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(jobName);
        lock (_gate)
        {
            _jobs.RemoveAll(j => j.Id == jobId);
            _jobs.Add((jobId, jobName, state));
        }
    }

    /// <summary>Adds a job with an id shaped like the job server's, "&lt;job_name&gt;_&lt;uuid&gt;", and returns the id.</summary>
    public string AddJob(string jobName, BeamJobState state)
    {
        var id = $"{jobName}_{Guid.NewGuid()}";
        AddJob(id, jobName, state);
        return id;
    }

    /// <summary>Changes a job's state.</summary>
    /// <exception cref="ArgumentException">No such job.</exception>
    public void SetJobState(string jobId, BeamJobState state)
    {
        lock (_gate)
        {
            var index = _jobs.FindIndex(j => j.Id == jobId);
            if (index < 0)
            {
                throw new ArgumentException($"The fake job server has no job '{jobId}'.", nameof(jobId));
            }

            _jobs[index] = _jobs[index] with { State = state };
        }
    }

    /// <summary>Makes the next call of <paramref name="method"/> ("GetJobs", "GetState", "Cancel") fail; queued calls fail in order.</summary>
    public void FailNext(string method, FakeGrpcFailure failure)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(failure);
        _failures.GetOrAdd(method, _ => new ConcurrentQueue<FakeGrpcFailure>()).Enqueue(failure);
    }

    /// <summary>How many calls of <paramref name="method"/> arrived.</summary>
    public int CallCount(string method) => _callCounts.TryGetValue(method, out var n) ? n : 0;

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var method = path.StartsWith(ServicePath, StringComparison.Ordinal) ? path[ServicePath.Length..] : path;
        _callCounts.AddOrUpdate(method, 1, (_, n) => n + 1);
        _calls.Enqueue(new FakeGrpcCall(method, request.Protocol, request.ContentType,
            request.Headers.TE.FirstOrDefault(), request.Headers["grpc-timeout"].FirstOrDefault()));

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/grpc", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var body = await ReadAllAsync(request.Body, context.RequestAborted).ConfigureAwait(false);
        FakeGrpcFailure? failure = null;
        if (_failures.TryGetValue(method, out var queue))
        {
            queue.TryDequeue(out failure);
        }

        switch (failure?.Kind)
        {
            case FakeGrpcFailureKind.TrailersOnly:
                await TrailersOnlyAsync(context, failure.Code, failure.Message).ConfigureAwait(false);
                return;
            case FakeGrpcFailureKind.HttpStatus:
                context.Response.StatusCode = failure.Code;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("upstream unavailable", context.RequestAborted).ConfigureAwait(false);
                return;
            case FakeGrpcFailureKind.ResetStream:
                context.Abort();
                return;
            case FakeGrpcFailureKind.Delay:
                try
                {
                    await Task.Delay(failure.Duration, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
        }

        if (!TryReadFrame(body, out var payload, out var framingError))
        {
            await TrailersOnlyAsync(context, 13, framingError).ConfigureAwait(false);
            return;
        }

        IMessage? response;
        int status;
        string? statusMessage;
        try
        {
            (response, status, statusMessage) = Dispatch(method, payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            (response, status, statusMessage) = (null, 13, $"cannot parse request: {ex.Message}");
        }

        if (response is null)
        {
            await TrailersOnlyAsync(context, status, statusMessage).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        if (failure?.Kind == FakeGrpcFailureKind.Status)
        {
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            AppendStatusTrailers(context, failure.Code, failure.Message);
            return;
        }

        var bytes = response.ToByteArray();
        var header = new byte[5];
        // A truncated frame announces more than it carries; the stream then ends normally.
        var announced = failure?.Kind == FakeGrpcFailureKind.TruncatedFrame ? bytes.Length + 16 : bytes.Length;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)announced);
        await context.Response.Body.WriteAsync(header, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        AppendStatusTrailers(context, 0, null);
    }

    private (IMessage? Response, int Status, string? Message) Dispatch(string method, ReadOnlyMemory<byte> payload)
    {
        lock (_gate)
        {
            switch (method)
            {
                case "GetJobs":
                    GetJobsRequest.Parser.ParseFrom(payload.Span);
                    var list = new GetJobsResponse();
                    list.JobInfo.Add(_jobs.Select(j => new JobInfo
                    {
                        JobId = j.Id,
                        JobName = j.Name,
                        State = (JobState.Types.Enum)(int)j.State,
                        PipelineOptions = new Struct { Fields = { ["beam:option:job_name:v1"] = Value.ForString(j.Name) } },
                    }));
                    return (list, 0, null);
                case "GetState":
                {
                    var id = GetJobStateRequest.Parser.ParseFrom(payload.Span).JobId;
                    var index = _jobs.FindIndex(j => j.Id == id);
                    return index < 0
                        ? (null, 5, $"Job {id} not found")
                        : (new JobStateEvent { State = (JobState.Types.Enum)(int)_jobs[index].State, Timestamp = Timestamp.FromDateTime(DateTime.UtcNow) }, 0, null);
                }

                case "Cancel":
                {
                    var id = CancelJobRequest.Parser.ParseFrom(payload.Span).JobId;
                    var index = _jobs.FindIndex(j => j.Id == id);
                    if (index < 0)
                    {
                        return (null, 5, $"Job {id} not found");
                    }

                    _cancelled.Add(id);
                    if (!BeamJobStates.IsTerminal(_jobs[index].State))
                    {
                        _jobs[index] = _jobs[index] with { State = BeamJobState.Cancelled };
                    }

                    return (new CancelJobResponse { State = (JobState.Types.Enum)(int)_jobs[index].State }, 0, null);
                }

                default:
                    return (null, 12, $"Method {BeamJobServiceClient.ServiceName}/{method} is unimplemented");
            }
        }
    }

    private static async Task TrailersOnlyAsync(HttpContext context, int status, string? message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (message is not null)
        {
            context.Response.Headers["grpc-message"] = PercentEncode(message);
        }

        // No body and no trailers: Kestrel ends the stream on the HEADERS frame.
        await context.Response.CompleteAsync().ConfigureAwait(false);
    }

    private static void AppendStatusTrailers(HttpContext context, int status, string? message)
    {
        if (!context.Response.SupportsTrailers())
        {
            throw new InvalidOperationException("The fake Job API needs HTTP/2 trailers.");
        }

        context.Response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message is not null)
        {
            context.Response.AppendTrailer("grpc-message", PercentEncode(message));
        }
    }

    // gRPC's rule for grpc-message: UTF-8, with '%' and bytes outside 0x20-0x7E written as %XX.
    private static string PercentEncode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool TryReadFrame(byte[] body, out ReadOnlyMemory<byte> payload, out string error)
    {
        payload = default;
        if (body.Length < 5)
        {
            error = $"request frame header incomplete ({body.Length} bytes)";
            return false;
        }

        if (body[0] != 0)
        {
            error = "compressed requests are not accepted";
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (body.Length - 5 != length)
        {
            error = $"request frame announces {length} bytes but carries {body.Length - 5}";
            return false;
        }

        payload = body.AsMemory(5);
        error = "";
        return true;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
