using System.Net.Sockets;
using FlinkBeam.Cluster.Beam;
using Grpc.Core;

namespace FlinkBeam.Cluster.Checks;

/// <summary>Turns an exception from a cluster call into the short "what was seen" text of a probe or health check.</summary>
public static class CheckFailure
{
    /// <summary>"connection refused", "host not found", "no answer within 2 s", or the exception's message on one line.</summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="timedOut">True when the caller's own timeout ended the call.</param>
    /// <param name="timeout">That timeout, for the text.</param>
    public static string Describe(Exception exception, bool timedOut, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (timedOut)
        {
            return $"no answer within {Seconds(timeout)}";
        }

        var socket = FindSocketError(exception);
        if (socket is not null)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "host unreachable",
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "connection closed by the other side",
                SocketError.TimedOut => "connection timed out",
                _ => $"socket error {socket.SocketErrorCode}",
            };
        }

        var message = exception is HttpRequestException && exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
        return message.ReplaceLineEndings(" ");
    }

    /// <summary>
    /// A failed gRPC call: the network failure underneath when there was one, "no answer within …" when the deadline
    /// passed, else "<paramref name="call"/> failed with STATUS: detail" as the server sent it.
    /// </summary>
    /// <param name="exception">The call's failure.</param>
    /// <param name="call">The method, e.g. "GetJobs".</param>
    /// <param name="timeout">The call's deadline, for the text.</param>
    public static string Describe(RpcException exception, string call, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode == StatusCode.DeadlineExceeded)
        {
            return Describe(exception, timedOut: true, timeout);
        }

        if (exception.InnerException is { } inner)
        {
            return Describe(inner, timedOut: false, timeout);
        }

        var detail = exception.Status.Detail;
        return $"{call} failed with {GrpcStatusNames.Of(exception.StatusCode)}{(string.IsNullOrEmpty(detail) ? "" : $": {detail.ReplaceLineEndings(" ")}")}";
    }

    /// <summary>"2 s", "250 ms".</summary>
    public static string Seconds(TimeSpan value) =>
        value.TotalSeconds >= 1 && value.TotalSeconds == Math.Floor(value.TotalSeconds)
            ? $"{value.TotalSeconds:0} s"
            : $"{value.TotalMilliseconds:0} ms";

    /// <summary>"1 TaskManager", "2 TaskManagers".</summary>
    public static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static SocketException? FindSocketError(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
