using System.Buffers.Binary;
using System.Collections.Concurrent;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>One export request as the collector received it; <see cref="Message"/> is the protobuf payload.</summary>
internal sealed record OtlpExport(
    string Signal,
    string Path,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Message);

/// <summary>
/// A loopback OTLP collector speaking the real transports: OTLP/HTTP with binary protobuf bodies on
/// <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>, or OTLP/gRPC over cleartext HTTP/2 (5-byte framed
/// messages, <c>grpc-status</c> trailer) on the three collector services' <c>Export</c> methods.
/// </summary>
internal sealed class FakeOtlpCollector : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Signals = new(StringComparer.Ordinal)
    {
        ["/v1/traces"] = "traces",
        ["/v1/metrics"] = "metrics",
        ["/v1/logs"] = "logs",
        ["/opentelemetry.proto.collector.trace.v1.TraceService/Export"] = "traces",
        ["/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"] = "metrics",
        ["/opentelemetry.proto.collector.logs.v1.LogsService/Export"] = "logs",
    };

    private readonly ConcurrentQueue<OtlpExport> _exports = new();
    private LoopbackHttpServer _server = null!;

    private FakeOtlpCollector(bool grpc)
    {
        Protocol = grpc ? "grpc" : "http/protobuf";
    }

    /// <summary>The value for OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
    public string Protocol { get; }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint => _server.Url;

    public IReadOnlyList<OtlpExport> Exports => _exports.ToArray();

    public IReadOnlyList<OtlpExport> ExportsOf(string signal) => _exports.Where(e => e.Signal == signal).ToArray();

    public static async Task<FakeOtlpCollector> StartAsync(bool grpc)
    {
        var collector = new FakeOtlpCollector(grpc);
        collector._server = await LoopbackHttpServer.StartAsync(
            grpc ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2,
            collector.ReceiveAsync,
            TestContext.Current.CancellationToken);
        return collector;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var path = context.Request.Path.Value ?? string.Empty;
        var isGrpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        if (!Signals.TryGetValue(path, out var signal) || context.Request.Method != HttpMethods.Post)
        {
            _exports.Enqueue(new OtlpExport("unknown", path, context.Request.ContentType, headers, body));
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _exports.Enqueue(new OtlpExport(signal, path, context.Request.ContentType, headers, isGrpc ? Unframe(body) : body));

        if (isGrpc)
        {
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            // An empty Export*ServiceResponse: uncompressed flag, zero length.
            await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static byte[] Unframe(byte[] body)
    {
        if (body.Length < 5 || body[0] != 0)
        {
            throw new InvalidDataException($"gRPC body of {body.Length} bytes is not one uncompressed length-prefixed message.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length != body.Length - 5)
        {
            throw new InvalidDataException($"gRPC frame announces {length} bytes but carries {body.Length - 5}.");
        }

        return body[5..];
    }
}
