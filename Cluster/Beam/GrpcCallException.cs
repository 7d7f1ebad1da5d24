namespace FlinkBeam.Cluster.Beam;

/// <summary>A gRPC call ended with a status other than OK (including deadline, transport and framing failures).</summary>
public sealed class GrpcCallException : Exception
{
    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="method">The called method, e.g. "JobService/GetJobs".</param>
    /// <param name="statusCode">The gRPC status code (1-16).</param>
    /// <param name="statusMessage">The decoded grpc-message, or the client's own description of the failure.</param>
    /// <param name="innerException">The transport exception behind the status, if any.</param>
    public GrpcCallException(string method, int statusCode, string? statusMessage, Exception? innerException = null)
        : base(Describe(method, statusCode, statusMessage), innerException)
    {
        Method = method;
        StatusCode = statusCode;
        StatusName = NameOf(statusCode);
        StatusMessage = statusMessage;
    }

    /// <summary>The gRPC status code, e.g. 14.</summary>
    public int StatusCode { get; }

    /// <summary>The gRPC status name, e.g. "UNAVAILABLE".</summary>
    public string StatusName { get; }

    /// <summary>The status message sent by the server, or the client's description of a local failure.</summary>
    public string? StatusMessage { get; }

    /// <summary>The called method, e.g. "JobService/GetJobs".</summary>
    public string Method { get; }

    /// <summary>The canonical name of a gRPC status code ("UNAVAILABLE"), or "STATUS_&lt;n&gt;" for codes outside 0-16.</summary>
    public static string NameOf(int statusCode) =>
        statusCode >= 0 && statusCode < StatusNames.Length ? StatusNames[statusCode] : $"STATUS_{statusCode}";

    private static string Describe(string method, int statusCode, string? statusMessage) =>
        string.IsNullOrEmpty(statusMessage)
            ? $"gRPC call {method} failed with {NameOf(statusCode)} ({statusCode})."
            : $"gRPC call {method} failed with {NameOf(statusCode)} ({statusCode}): {statusMessage}";
}
