using System.Globalization;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>A <c>host:port</c> address as the Beam options and the probes take it (IPv6 hosts in brackets).</summary>
public readonly record struct HostAndPort(string Host, int Port)
{
    public static bool TryParse(string? text, out HostAndPort address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text) || text.Contains("://", StringComparison.Ordinal) || text.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || host.Length < 3)
            {
                return false;
            }
        }
        else if (host.Contains(':'))
        {
            return false;
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        address = new HostAndPort(host, port);
        return true;
    }

    /// <summary>The address of a URL such as <c>tcp://localhost:50000</c> or <c>http://localhost:8099</c>.</summary>
    public static bool TryFromUri(Uri uri, out HostAndPort address)
    {
        address = default;
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.Host) || uri.Port is < 1 or > 65535)
        {
            return false;
        }

        address = new HostAndPort(uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.Host, uri.Port);
        return true;
    }

    /// <summary>The host without IPv6 brackets, as sockets take it.</summary>
    public string SocketHost => Host.StartsWith('[') ? Host[1..^1] : Host;

    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
