using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FlinkBeam.Cluster.Probes;

/// <summary>
/// Checks that a gRPC (HTTP/2) server really listens behind host:port. A bare TCP connect is not enough: Docker's
/// port proxy accepts connections even when nothing listens behind it, so the probe sends the HTTP/2 client preface
/// and waits for the server's SETTINGS frame.
/// </summary>
public static class GrpcEndpointProbe
{
    private const int FrameHeaderBytes = 9;
    private const byte SettingsFrameType = 0x4;
    private const byte GoAwayFrameType = 0x7;
    private static readonly byte[] ClientPreface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    /// <summary>Opens a TCP connection, sends the HTTP/2 preface and an empty SETTINGS frame, and waits for the server's SETTINGS.</summary>
    /// <param name="host">Host name or address.</param>
    /// <param name="port">TCP port (1-65535).</param>
    /// <param name="timeout">Bound on the whole probe: connect, send and first frame.</param>
    /// <param name="ct">Cancels the probe; throws <see cref="OperationCanceledException"/> then.</param>
    /// <returns>Ok with "HTTP/2 server answered", or not Ok with what went wrong; never throws for network failures.</returns>
    /// <exception cref="ArgumentException">Empty host, port outside 1-65535 or a non-positive timeout.</exception>
    public static async Task<ProbeResult> ProbeAsync(string host, int port, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 1-65535.");
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The probe timeout must be positive.");
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(host, port), timeoutCts.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(ClientPreface, timeoutCts.Token).ConfigureAwait(false);
            await stream.WriteAsync(FrameHeader(0, SettingsFrameType), timeoutCts.Token).ConfigureAwait(false);

            var header = new byte[FrameHeaderBytes];
            var read = await ReadAtLeastAsync(stream, header, timeoutCts.Token).ConfigureAwait(false);
            if (read < FrameHeaderBytes)
            {
                return new ProbeResult(false, read == 0 ? "closed before SETTINGS" : $"closed before SETTINGS after {read} bytes");
            }

            if (header[3] == GoAwayFrameType)
            {
                // Kestrel's HTTP/1.1-only endpoints answer the preface this way.
                return new ProbeResult(false, "refused HTTP/2: GOAWAY before SETTINGS");
            }

            if (header[3] != SettingsFrameType)
            {
                return new ProbeResult(false, $"not an HTTP/2 server: first frame type 0x{header[3]:x2}, expected SETTINGS (0x04)");
            }

            // Leave politely so the server logs a clean close rather than a protocol error.
            await TrySendGoAwayAsync(stream, timeoutCts.Token).ConfigureAwait(false);
            return new ProbeResult(true, "HTTP/2 server answered");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(false, $"timed out after {Format(timeout)}");
        }
        catch (SocketException ex)
        {
            return new ProbeResult(false, Describe(ex));
        }
        catch (IOException ex) when (ex.InnerException is SocketException socketError)
        {
            return new ProbeResult(false, socketError.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                ? "closed before SETTINGS (connection reset)"
                : Describe(socketError));
        }
        catch (IOException ex)
        {
            return new ProbeResult(false, $"closed before SETTINGS ({ex.Message})");
        }
    }

    private static byte[] FrameHeader(int length, byte type)
    {
        var header = new byte[FrameHeaderBytes];
        header[0] = (byte)(length >> 16);
        header[1] = (byte)(length >> 8);
        header[2] = (byte)length;
        header[3] = type;
        return header;
    }

    private static async Task TrySendGoAwayAsync(NetworkStream stream, CancellationToken ct)
    {
        var frame = new byte[FrameHeaderBytes + 8];
        FrameHeader(8, GoAwayFrameType).CopyTo(frame, 0);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(FrameHeaderBytes), 0); // last stream id
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(FrameHeaderBytes + 4), 0); // NO_ERROR
        try
        {
            await stream.WriteAsync(frame, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The answer already proved the server; a failed goodbye changes nothing.
        }
    }

    private static async Task<int> ReadAtLeastAsync(NetworkStream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "closed before SETTINGS (connection reset)",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "host unreachable",
        SocketError.TimedOut => "connect timed out",
        _ => $"socket error {ex.SocketErrorCode}",
    };

    private static string Format(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0
            ? timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s"
            : timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}
