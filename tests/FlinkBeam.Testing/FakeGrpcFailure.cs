namespace FlinkBeam.Testing;

/// <summary>What kind of failure a <see cref="FakeGrpcFailure"/> injects.</summary>
public enum FakeGrpcFailureKind
{
    /// <summary>Response headers, no message, then an error grpc-status in the trailers.</summary>
    Status,
    /// <summary>A single HEADERS frame carrying the error grpc-status and ending the stream (no body, no trailers).</summary>
    TrailersOnly,
    /// <summary>Waits (until the client gives up) before answering normally.</summary>
    Delay,
}

/// <summary>A failure <see cref="FakeBeamJobServer"/> injects into one call; make one with the static factories.</summary>
public sealed record FakeGrpcFailure
{
    private FakeGrpcFailure(FakeGrpcFailureKind kind) => Kind = kind;

    /// <summary>The kind of failure.</summary>
    public FakeGrpcFailureKind Kind { get; }

    /// <summary>gRPC status code for Status and TrailersOnly.</summary>
    public int Code { get; private init; }

    /// <summary>grpc-message text for Status and TrailersOnly.</summary>
    public string? Message { get; private init; }

    /// <summary>How long a Delay waits.</summary>
    public TimeSpan Duration { get; private init; }

    /// <summary>Answers with headers, then an error status in the trailers.</summary>
    public static FakeGrpcFailure Status(int grpcStatus, string message) =>
        new(FakeGrpcFailureKind.Status) { Code = ValidStatus(grpcStatus), Message = message };

    /// <summary>Answers with a trailers-only response carrying the error status.</summary>
    public static FakeGrpcFailure TrailersOnly(int grpcStatus, string message) =>
        new(FakeGrpcFailureKind.TrailersOnly) { Code = ValidStatus(grpcStatus), Message = message };

    /// <summary>Waits <paramref name="duration"/> (or until the client's deadline or reset), then answers normally.</summary>
    public static FakeGrpcFailure Delay(TimeSpan duration) =>
        new(FakeGrpcFailureKind.Delay) { Duration = duration > TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration)) };

    private static int ValidStatus(int code) => code is >= 1 and <= 16
        ? code
        : throw new ArgumentOutOfRangeException(nameof(code), code, "An error gRPC status is 1-16.");
}
