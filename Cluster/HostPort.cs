using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace FlinkBeam.Cluster;

/// <summary>Validation of <c>host:port</c> endpoints and host names.</summary>
internal static partial class HostPort
{
    /// <summary>Whether <paramref name="text"/> is <c>host:port</c> with a DNS name, an IPv4 address or a bracketed IPv6 address and a port 1-65535.</summary>
    public static bool IsValid(string? text)
    {
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
        return IsHost(host) && IsPort(port);
    }

    /// <summary>Whether <paramref name="host"/> is a DNS name, an IPv4 address, or an IPv6 address in brackets.</summary>
    public static bool IsHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > 253)
        {
            return false;
        }

        if (host[0] == '[')
        {
            return host[^1] == ']'
                && IPAddress.TryParse(host[1..^1], out var v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return HostName().IsMatch(host);
    }

    private static bool IsPort(string text) =>
        text.Length <= 5 && text.All(char.IsAsciiDigit) && text[0] != '0' && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) <= 65535;

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();
}
