using System.Net;

namespace FlinkBeam.Cluster.Flink;

/// <summary>A Flink REST call failed: non-success status, malformed JSON, timeout or no connection. The message names the path.</summary>
public sealed class FlinkRestException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the call failed.</param>
    /// <param name="path">The request path, e.g. "/jobs/overview".</param>
    /// <param name="message">One readable sentence that names the path and the problem.</param>
    /// <param name="statusCode">The HTTP status, when Flink answered.</param>
    /// <param name="errors">The entries of Flink's {"errors":[...]} body, when it sent one.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public FlinkRestException(
        FlinkRestFailureKind kind, string path, string message, HttpStatusCode? statusCode = null,
        IReadOnlyList<string>? errors = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Path = path;
        StatusCode = statusCode;
        Errors = errors ?? [];
    }

    /// <summary>Why the call failed.</summary>
    public FlinkRestFailureKind Kind { get; }

    /// <summary>The HTTP status when Flink answered, otherwise null.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The request path, e.g. "/overview".</summary>
    public string Path { get; }

    /// <summary>Flink's error messages from the body's "errors" array (often full Java stack traces); empty when none.</summary>
    public IReadOnlyList<string> Errors { get; }
}
