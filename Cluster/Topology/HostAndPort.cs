using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace FlinkBeam.Cluster.Topology;

/// <summary>
/// A <c>host:port</c> address as Beam's pipeline options, the job server's flags and the probes take it: a DNS name,
/// an IPv4 address or a bracketed IPv6 address, and a port 1-65535.
/// </summary>
public readonly partial record struct HostAndPort
{
    /// <summary>Creates an address.</summary>
    /// <param name="host">A DNS name, an IPv4 address, or an IPv6 address in brackets, e.g. <c>[::1]</c>.</param>
    /// <param name="port">1-65535.</param>
    /// <exception cref="ArgumentException">The host or the port is not valid; the message names the value.</exception>
    public HostAndPort(string host, int port)
    {
        if (!IsHost(host))
        {
            throw new ArgumentException($"'{host}' is not a host: expected a DNS name, an IPv4 address or an IPv6 address in brackets.", nameof(host));
        }

        if (port is < 1 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"A TCP port is 1-{IPEndPoint.MaxPort}.");
        }

        Host = host;
        Port = port;
    }

    /// <summary>The host as written in an address: IPv6 hosts keep their brackets.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The host without IPv6 brackets, as sockets and DNS take it.</summary>
    public string SocketHost => Host.StartsWith('[') ? Host[1..^1] : Host;

    /// <summary>Reads <c>host:port</c>, e.g. <c>localhost:8099</c> or <c>[::1]:8099</c>; no scheme, no path.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="address">The address when the text is one.</param>
    /// <returns>Whether <paramref name="text"/> is a <c>host:port</c> address.</returns>
    public static bool TryParse(string? text, out HostAndPort address)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var host = text[..colon];
        var port = text[(colon + 1)..];
        if (!IsHost(host) || port.Length > 5 || port[0] == '0' || !port.All(char.IsAsciiDigit))
        {
            return false;
        }

        var number = int.Parse(port, CultureInfo.InvariantCulture);
        if (number > IPEndPoint.MaxPort)
        {
            return false;
        }

        address = new HostAndPort(host, number);
        return true;
    }

    /// <summary>The host and port of an absolute URL such as <c>tcp://localhost:50000</c> or <c>http://[::1]:8099</c>.</summary>
    /// <param name="uri">The URL; its default port counts when it names none.</param>
    /// <param name="address">The address when the URL has a host and a port.</param>
    /// <returns>Whether the URL has a usable host and port.</returns>
    public static bool TryFromUri(Uri uri, out HostAndPort address)
    {
        ArgumentNullException.ThrowIfNull(uri);
        address = default;
        if (!uri.IsAbsoluteUri || uri.Port is < 1 or > IPEndPoint.MaxPort)
        {
            return false;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.Host;
        if (!IsHost(host))
        {
            return false;
        }

        address = new HostAndPort(host, uri.Port);
        return true;
    }

    /// <summary>Whether <paramref name="host"/> is a DNS name, an IPv4 address, or an IPv6 address in brackets.</summary>
    /// <param name="host">The text to check.</param>
    /// <returns>True for a usable host.</returns>
    public static bool IsHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (host[0] == '[')
        {
            return host[^1] == ']'
                && IPAddress.TryParse(host[1..^1], out var v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return IsHostName(host);
    }

    /// <summary>Whether <paramref name="host"/> is a DNS name or an IPv4 address: labels of letters, digits and inner '-', joined by '.'.</summary>
    /// <param name="host">The text to check.</param>
    /// <returns>True for a DNS name or an IPv4 address.</returns>
    public static bool IsHostName(string? host) => !string.IsNullOrEmpty(host) && host.Length <= 253 && HostName().IsMatch(host);

    /// <summary>The address as <c>host:port</c>.</summary>
    /// <returns>E.g. <c>localhost:8099</c>.</returns>
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();
}
