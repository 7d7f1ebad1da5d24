using System.Net.Http;
using System.Net.Sockets;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>Turns an exception from a cluster call into the short "what was seen" text of a condition.</summary>
internal static class ProbeFailure
{
    public static string Describe(Exception exception, bool timedOut, TimeSpan timeout)
    {
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
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.TimedOut => "connection timed out",
                _ => $"socket error {socket.SocketErrorCode}",
            };
        }

        var message = exception is HttpRequestException && exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
        return message.ReplaceLineEndings(" ");
    }

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
