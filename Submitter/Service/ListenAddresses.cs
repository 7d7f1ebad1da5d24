using System.Net;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Submitter.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Submitter.Service;

/// <summary>
/// Where the API is configured to listen, from every source the server reads (<c>--urls</c> and <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c> and <c>ASPNETCORE_HTTPS_PORTS</c>, <c>Kestrel:Endpoints:*:Url</c>), and whether each
/// is reachable only from this machine. All of them count, even one the server would leave unused beside another.
/// </summary>
public static class ListenAddresses
{
    /// <summary>Every configured address with the setting it came from.</summary>
    public static IReadOnlyList<ListenAddress> From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<ListenAddress>();
        foreach (var url in Split(configuration[WebHostDefaults.ServerUrlsKey]))
        {
            addresses.Add(new ListenAddress(url, "--urls / ASPNETCORE_URLS"));
        }

        // Ports alone bind every interface.
        foreach (var (key, scheme, variable) in new[]
                 {
                     (WebHostDefaults.HttpPortsKey, "http", "ASPNETCORE_HTTP_PORTS"),
                     (WebHostDefaults.HttpsPortsKey, "https", "ASPNETCORE_HTTPS_PORTS"),
                 })
        {
            foreach (var port in Split(configuration[key]))
            {
                addresses.Add(new ListenAddress($"{scheme}://*:{port}", variable));
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                addresses.Add(new ListenAddress(url.Trim(), $"Kestrel:Endpoints:{endpoint.Key}:Url"));
            }
        }

        return addresses;
    }

    /// <summary>
    /// Whether a server address can be reached only from this machine: <c>localhost</c>, a loopback address (IPv4 or
    /// IPv6, bracketed), a Unix socket or a named pipe. <c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>, any other
    /// address and any other host name are not (the server binds a name other than localhost to every interface), and
    /// neither is an address that cannot be read.
    /// </summary>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return false;
        }

        var rest = text[(scheme + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var host = Host(rest);
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && ApiAccess.IsLoopback(address));
    }

    /// <summary>
    /// The host names and addresses the server was told to listen on by name (no wildcard, no socket): a caller that
    /// reaches the Submitter through one of them is expected, so the API answers them.
    /// </summary>
    public static IEnumerable<string> NamedHosts(IEnumerable<ListenAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses)
        {
            var scheme = address.Url.IndexOf("://", StringComparison.Ordinal);
            var rest = scheme > 0 ? address.Url[(scheme + 3)..] : "";
            if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var host = Host(rest);
            if (host is { Length: > 0 } and not ("*" or "+") && !IsUnspecified(host))
            {
                yield return host;
            }
        }
    }

    /// <summary>
    /// Null when <c>serve</c> may start: every address is loopback, or callers must present a key, or anonymous access
    /// beyond loopback was chosen. Otherwise why not, naming the first address that is not loopback and the settings.
    /// </summary>
    public static string? Exposure(IEnumerable<ListenAddress> addresses, bool hasKey, bool allowAnonymous)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (hasKey || allowAnonymous || addresses.FirstOrDefault(a => !IsLoopback(a.Url)) is not { } exposed)
        {
            return null;
        }

        const string section = SubmitterSettingNames.SectionName;
        return $"it would listen on {exposed.Url} ({exposed.Source}), which is not a loopback address, without an API key. "
            + $"Set {section}:{SubmitterSettingNames.ApiKey} ({SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.ApiKey)}) so that callers must present it, "
            + $"or {section}:{SubmitterSettingNames.AllowAnonymous}=true to let anyone who can reach it start and cancel runs.";
    }

    private static string Host(string rest)
    {
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? rest : rest[..(close + 1)];
        }

        var end = rest.IndexOfAny([':', '/']);
        return end < 0 ? rest : rest[..end];
    }

    private static bool IsUnspecified(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address)
        && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One configured server address and the setting it came from.</summary>
/// <param name="Url">The address as configured, e.g. <c>http://0.0.0.0:5080</c>.</param>
/// <param name="Source">The setting, e.g. <c>--urls / ASPNETCORE_URLS</c>.</param>
public sealed record ListenAddress(string Url, string Source);
