using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace FlinkBeam.Cluster.Beam;

/// <summary>
/// Unary gRPC calls over <see cref="HttpClient"/> (HTTP/2, TLS optional), because Grpc.Net.Client is not available:
/// length-prefixed frames, grpc-timeout, and the status taken from the trailers or, for trailers-only
/// responses, from the headers. Every failure surfaces as a <see cref="GrpcCallException"/> except the
/// caller's own cancellation, which stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class GrpcUnaryCall
{
    /// <summary>gRPC's default receive limit; a larger answer from a job server means something is wrong.</summary>
    internal const int MaxMessageBytes = 4 * 1024 * 1024;

    private const int FrameHeaderBytes = 5;
    private const int StatusOk = 0, StatusCancelled = 1, StatusUnknown = 2, StatusDeadlineExceeded = 4,
        StatusPermissionDenied = 7, StatusResourceExhausted = 8, StatusUnimplemented = 12, StatusInternal = 13,
        StatusUnavailable = 14, StatusUnauthenticated = 16;

    /// <summary>Calls <paramref name="service"/>/<paramref name="method"/> and returns its single response message.</summary>
    /// <param name="http">Client whose BaseAddress is the server, e.g. http://localhost:8099/.</param>
    /// <param name="service">Fully qualified service, e.g. "org.apache.beam.model.job_management.v1.JobService".</param>
    /// <param name="method">Method name, e.g. "GetJobs".</param>
    /// <param name="request">The request message.</param>
    /// <param name="parser">Parser of the response message.</param>
    /// <param name="deadline">Time the whole call may take; sent to the server as grpc-timeout. Null: no deadline.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public static async Task<TResponse> InvokeAsync<TResponse>(
        HttpClient http, string service, string method, IMessage request, MessageParser<TResponse> parser,
        TimeSpan? deadline, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        if (http.BaseAddress is null)
        {
            throw new InvalidOperationException("The HttpClient for gRPC calls needs a BaseAddress such as http://localhost:8099/.");
        }

        if (deadline is { } d && d <= TimeSpan.Zero && d != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(deadline), d, "A gRPC deadline must be positive.");
        }

        var displayName = $"{service[(service.LastIndexOf('.') + 1)..]}/{method}";
        using var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hasDeadline = deadline is { } limit && limit != Timeout.InfiniteTimeSpan;
        if (hasDeadline)
        {
            deadlineCts.CancelAfter(deadline!.Value);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, $"/{service}/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Frame(request)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        if (hasDeadline)
        {
            message.Headers.TryAddWithoutValidation("grpc-timeout", EncodeTimeout(deadline!.Value));
        }

        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadlineCts.Token)
                .ConfigureAwait(false);
            return await ReadResponseAsync(response, displayName, parser, deadlineCts.Token).ConfigureAwait(false);
        }
        catch (GrpcCallException)
        {
            throw;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            throw ex as OperationCanceledException ?? new OperationCanceledException(null, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException
                                   && deadlineCts.IsCancellationRequested)
        {
            throw new GrpcCallException(displayName, StatusDeadlineExceeded,
                $"deadline of {FormatSpan(deadline!.Value)} exceeded", ex);
        }
        catch (OperationCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new GrpcCallException(displayName, StatusDeadlineExceeded,
                $"HttpClient.Timeout of {FormatSpan(http.Timeout)} elapsed", ex);
        }
        catch (Exception ex) when ((ex as HttpProtocolException ?? ex.InnerException as HttpProtocolException) is { } reset)
        {
            // RST_STREAM or GOAWAY: before the headers this arrives wrapped in an HttpRequestException, while reading the body bare.
            throw new GrpcCallException(displayName, MapHttp2ErrorCode(reset.ErrorCode),
                $"the server ended the HTTP/2 stream with error code 0x{reset.ErrorCode:x}: {reset.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new GrpcCallException(displayName, StatusUnavailable,
                $"cannot reach {http.BaseAddress} ({ex.HttpRequestError}): {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new GrpcCallException(displayName, StatusUnavailable, $"connection failed: {ex.Message}", ex);
        }
    }

    /// <summary>Encodes a message as one gRPC frame: 1 byte compressed flag (0), 4 bytes big-endian length, the bytes.</summary>
    internal static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[FrameHeaderBytes + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)size);
        message.WriteTo(frame.AsSpan(FrameHeaderBytes));
        return frame;
    }

    /// <summary>The grpc-timeout header value: at most 8 digits and a unit, rounded up so the server never sees less time.</summary>
    internal static string EncodeTimeout(TimeSpan timeout)
    {
        const long maxValue = 99_999_999;
        var millis = (long)Math.Ceiling(timeout.TotalMilliseconds);
        if (millis <= maxValue)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = (long)Math.Ceiling(timeout.TotalSeconds);
        if (seconds <= maxValue)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var minutes = (long)Math.Ceiling(timeout.TotalMinutes);
        return minutes <= maxValue
            ? minutes.ToString(CultureInfo.InvariantCulture) + "M"
            : Math.Min((long)Math.Ceiling(timeout.TotalHours), maxValue).ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Decodes grpc-message, which servers percent-encode as UTF-8; malformed escapes stay as sent.</summary>
    internal static string DecodeMessage(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static async Task<TResponse> ReadResponseAsync<TResponse>(
        HttpResponseMessage response, string method, MessageParser<TResponse> parser, CancellationToken token)
        where TResponse : IMessage<TResponse>
    {
        // Trailers-only: the status travels in the headers and there is no body.
        var headerStatus = ReadStatus(response.Headers, method);
        if (headerStatus is { } trailersOnly)
        {
            throw trailersOnly.Code == StatusOk
                ? new GrpcCallException(method, StatusInternal, "the server answered OK without a response message")
                : new GrpcCallException(method, trailersOnly.Code, trailersOnly.Message);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new GrpcCallException(method, MapHttpStatus(response.StatusCode),
                $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} instead of a gRPC response");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            throw new GrpcCallException(method, StatusUnknown,
                $"content-type '{mediaType ?? "(none)"}' is not application/grpc");
        }

        var body = await ReadBodyAsync(response, method, token).ConfigureAwait(false);
        var trailerStatus = ReadStatus(response.TrailingHeaders, method);
        if (trailerStatus is { Code: not StatusOk } failure)
        {
            throw new GrpcCallException(method, failure.Code, failure.Message);
        }

        var payload = ExtractSingleMessage(body, method);
        if (trailerStatus is null)
        {
            throw new GrpcCallException(method, StatusInternal, "the response ended without a grpc-status trailer");
        }

        try
        {
            return parser.ParseFrom(payload.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcCallException(method, StatusInternal, $"the response message cannot be decoded: {ex.Message}", ex);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string method, CancellationToken token)
    {
        var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxMessageBytes + FrameHeaderBytes)
                {
                    throw new GrpcCallException(method, StatusResourceExhausted,
                        $"the response is larger than the {MaxMessageBytes}-byte limit");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static ReadOnlyMemory<byte> ExtractSingleMessage(byte[] body, string method)
    {
        if (body.Length == 0)
        {
            throw new GrpcCallException(method, StatusInternal, "the response has no message");
        }

        if (body.Length < FrameHeaderBytes)
        {
            throw new GrpcCallException(method, StatusInternal,
                $"truncated frame: {body.Length} of the 5 header bytes arrived");
        }

        var flag = body[0];
        if (flag == 1)
        {
            throw new GrpcCallException(method, StatusInternal,
                "the response message is compressed although the client accepts no grpc-encoding");
        }

        if (flag != 0)
        {
            throw new GrpcCallException(method, StatusInternal, $"invalid compressed-flag byte {flag} in the frame header");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length > MaxMessageBytes)
        {
            throw new GrpcCallException(method, StatusResourceExhausted,
                $"the frame announces {length} bytes, more than the {MaxMessageBytes}-byte limit");
        }

        var available = body.Length - FrameHeaderBytes;
        if (available < length)
        {
            throw new GrpcCallException(method, StatusInternal,
                $"truncated frame: the header announces {length} bytes but only {available} arrived");
        }

        if (available > length)
        {
            throw new GrpcCallException(method, StatusInternal, "more than one response message for a unary call");
        }

        return body.AsMemory(FrameHeaderBytes, (int)length);
    }

    private static (int Code, string? Message)? ReadStatus(HttpHeaders headers, string method)
    {
        if (!headers.TryGetValues("grpc-status", out var statusValues))
        {
            return null;
        }

        var raw = statusValues.FirstOrDefault() ?? "";
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new GrpcCallException(method, StatusUnknown, $"the server sent an invalid grpc-status '{raw}'");
        }

        var text = headers.TryGetValues("grpc-message", out var messageValues)
            ? DecodeMessage(string.Join(",", messageValues))
            : null;
        return (code, text);
    }

    // gRPC's HTTP-to-gRPC status table (doc/http-grpc-status-mapping.md) for answers that carry no grpc-status.
    private static int MapHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusInternal,
        401 => StatusUnauthenticated,
        403 => StatusPermissionDenied,
        404 => StatusUnimplemented,
        429 or 502 or 503 or 504 => StatusUnavailable,
        _ => StatusUnknown,
    };

    // RST_STREAM codes as gRPC maps them (doc/PROTOCOL-HTTP2.md, "Errors").
    private static int MapHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusUnavailable, // REFUSED_STREAM
        0x8 => StatusCancelled, // CANCEL
        0xb => StatusResourceExhausted, // ENHANCE_YOUR_CALM
        0xc => StatusPermissionDenied, // INADEQUATE_SECURITY
        0xd => StatusUnavailable, // HTTP_1_1_REQUIRED: not a gRPC server at all, as unusable as none
        _ => StatusInternal,
    };

    private static string FormatSpan(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? "infinity"
        : span.TotalSeconds >= 1 && span.Milliseconds == 0 ? $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
        : $"{span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
