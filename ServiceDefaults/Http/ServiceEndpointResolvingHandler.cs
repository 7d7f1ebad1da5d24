using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>
/// Rewrites a request addressed by service name to a configured endpoint, the way Aspire's service discovery
/// reads configuration: <c>http://flink-jobmanager/overview</c> goes to the first configured address whose scheme
/// is http, <c>https+http://name</c> prefers https and falls back to http, and <c>http://_job.name</c> picks the
/// endpoint named <c>job</c>. Without an endpoint name, an endpoint named <c>default</c> wins, then one named like
/// the scheme. Several addresses are used in turn. Hosts that are not configured services pass through unchanged.
/// </summary>
public sealed class ServiceEndpointResolvingHandler : DelegatingHandler
{
    private const string DefaultEndpointName = "default";

    private readonly IConfiguration _configuration;
    private readonly ConcurrentDictionary<string, StrongBox> _turns = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a handler that reads endpoints from <paramref name="configuration"/> on every request.</summary>
    /// <param name="configuration">Configuration holding the <c>services</c> section.</param>
    public ServiceEndpointResolvingHandler(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            request.RequestUri = Resolve(uri);
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The address a request to <paramref name="uri"/> is sent to.</summary>
    /// <exception cref="InvalidOperationException">The URI names an endpoint or scheme list that configuration does not provide.</exception>
    /// <exception cref="FormatException">A configured entry is malformed.</exception>
    internal Uri Resolve(Uri uri)
    {
        var schemes = uri.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var host = uri.Host;
        string? endpointName = null;
        var serviceName = host;
        if (host.StartsWith('_'))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            if (dot < 2 || dot == host.Length - 1)
            {
                throw new InvalidOperationException(
                    $"'{uri}' names an endpoint but not in the form scheme://_endpoint.service (for example http://_job.flink-jobserver).");
            }

            endpointName = host[1..dot];
            serviceName = host[(dot + 1)..];
        }

        var servicePath = $"{ServiceEndpointConfiguration.SectionName}:{serviceName}";
        var serviceSection = _configuration.GetSection(ServiceEndpointConfiguration.SectionName).GetSection(serviceName);
        if (!serviceSection.Exists())
        {
            if (endpointName is null && schemes.Length == 1)
            {
                return uri;
            }

            throw new InvalidOperationException(
                $"'{uri}' needs endpoints of service '{serviceName}' but configuration has no '{servicePath}' section "
                + $"(environment variables {ServiceEndpointConfiguration.ToEnvironmentName(servicePath)}__<endpoint>__0).");
        }

        if (endpointName is null)
        {
            string[] candidates = [DefaultEndpointName, .. schemes];
            endpointName = candidates.FirstOrDefault(name => serviceSection.GetSection(name).Exists())
                ?? throw new InvalidOperationException(
                    $"Service '{serviceName}' has no endpoint named {string.Join(" or ", candidates.Select(c => $"'{c}'"))} "
                    + $"under '{servicePath}' to serve '{uri}'; configured: {DescribeChildren(serviceSection)}.");
        }

        var addresses = _configuration.GetServiceEndpoints(serviceName, endpointName);
        var preferred = addresses
            .Select(address => (Address: address, Rank: Array.IndexOf(schemes, address.Scheme)))
            .Where(candidate => candidate.Rank >= 0)
            .ToArray();
        if (preferred.Length == 0)
        {
            throw new InvalidOperationException(
                $"Service '{serviceName}' endpoint '{endpointName}' has no address with scheme {string.Join(" or ", schemes)} "
                + $"to serve '{uri}'; configured: {(addresses.Count == 0 ? "none" : string.Join(", ", addresses))}.");
        }

        var bestRank = preferred.Min(candidate => candidate.Rank);
        var usable = preferred.Where(candidate => candidate.Rank == bestRank).Select(candidate => candidate.Address).ToArray();
        var target = usable.Length == 1 ? usable[0] : usable[NextTurn($"{serviceName}:{endpointName}") % usable.Length];
        return Rewrite(uri, target);
    }

    private int NextTurn(string key)
    {
        var turn = _turns.GetOrAdd(key, static _ => new StrongBox());
        return (int)((uint)Interlocked.Increment(ref turn.Value) - 1);
    }

    private static Uri Rewrite(Uri request, Uri target)
    {
        var basePath = target.AbsolutePath.TrimEnd('/');
        var origin = target.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        return new Uri($"{origin}{basePath}{request.PathAndQuery}{request.Fragment}", UriKind.Absolute);
    }

    private static string DescribeChildren(IConfigurationSection section)
    {
        var names = section.GetChildren().Select(child => child.Key).ToArray();
        return names.Length == 0 ? "none" : string.Join(", ", names);
    }

    private sealed class StrongBox
    {
        public int Value;
    }
}
