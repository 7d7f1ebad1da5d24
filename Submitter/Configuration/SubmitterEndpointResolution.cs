using System.Net;
using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>
/// Service mode: fills the cluster endpoints left empty in <see cref="SubmitterOptions"/> with the literal addresses
/// service discovery resolves from the orchestrator's references: the JobManager's REST endpoint, the job server's Job API
/// and artifact endpoints, and the worker pool of each TaskManager 1..<see cref="SubmitterOptions.TaskManagers"/>. The
/// pipeline clients and the messages need literal addresses; the Submitter's own Flink REST and Job API clients are
/// addressed by service name instead when their endpoint came from here (<see cref="FlinkRestDiscovered"/>,
/// <see cref="JobServiceDiscovered"/>). Values set explicitly always win.
/// </summary>
public sealed class SubmitterEndpointResolution(ServiceEndpointResolver resolver) : IPostConfigureOptions<SubmitterOptions>
{
    /// <summary>Whether <see cref="SubmitterOptions.FlinkRestUrl"/> came from service discovery.</summary>
    public bool FlinkRestDiscovered { get; private set; }

    /// <summary>Whether <see cref="SubmitterOptions.JobEndpoint"/> came from service discovery.</summary>
    public bool JobServiceDiscovered { get; private set; }

    /// <inheritdoc />
    /// <exception cref="FormatException">An entry service discovery cannot read; the message names its variable.</exception>
    public void PostConfigure(string? name, SubmitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (string.IsNullOrWhiteSpace(options.FlinkRestUrl)
            && Resolve(ResourceNames.JobManager, EndpointNames.FlinkRest) is { } flink)
        {
            options.FlinkRestUrl = flink.Uri is { } uri ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/') : $"http://{flink.Address}";
            FlinkRestDiscovered = true;
        }

        if (string.IsNullOrWhiteSpace(options.JobEndpoint)
            && Resolve(ResourceNames.JobServer, EndpointNames.JobService) is { } job)
        {
            options.JobEndpoint = job.Address.ToString();
            JobServiceDiscovered = true;
        }

        if (string.IsNullOrWhiteSpace(options.ArtifactEndpoint))
        {
            options.ArtifactEndpoint = Resolve(ResourceNames.JobServer, EndpointNames.ArtifactStaging)?.Address.ToString();
        }

        if (options.WorkerPools.Count == 0)
        {
            for (var i = 1; i <= options.TaskManagers; i++)
            {
                if (Resolve(ResourceNames.TaskManager(i), EndpointNames.WorkerPool) is { } pool)
                {
                    options.WorkerPools.Add(pool.Address.ToString());
                }
            }
        }
    }

    /// <summary>
    /// The first address service discovery knows for one endpoint of a resource, whatever its scheme; null when nothing
    /// is configured (the pass-through provider then answers with the bare name and no port).
    /// </summary>
    private (HostAndPort Address, Uri? Uri)? Resolve(string resource, string endpoint)
    {
        ServiceEndpointSource source;
        try
        {
            // Options are built synchronously; configuration-based resolution completes without waiting on anything.
            source = resolver.GetEndpointsAsync(ServiceAddresses.EndpointQuery(resource, endpoint), CancellationToken.None)
                .AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Unreadable(resource, endpoint, e.Message, e);
        }

        foreach (var found in source.Endpoints)
        {
            switch (found.EndPoint)
            {
                case UriEndPoint { Uri: var uri } when HostAndPort.TryFromUri(uri, out var address):
                    return (address, uri);
                case DnsEndPoint { Port: > 0 } dns when HostAndPort.TryParse($"{dns.Host}:{dns.Port}", out var address):
                    return (address, null);
                case IPEndPoint { Port: > 0 } ip when HostAndPort.TryFromUri(new Uri($"tcp://{ip}"), out var address):
                    return (address, null);
            }
        }

        // Without an entry, the pass-through provider answers with the resource's bare name and no port.
        if (source.Endpoints.All(found => found.EndPoint is DnsEndPoint { Port: 0 } dns && dns.Host == resource))
        {
            return null;
        }

        throw Unreadable(resource, endpoint, $"service discovery gives {source}", null);
    }

    private static FormatException Unreadable(string resource, string endpoint, string detail, Exception? inner) =>
        new($"The '{endpoint}' endpoint of '{resource}' (environment variable {ServiceAddresses.EnvironmentVariable(resource, endpoint)}) is not an endpoint address "
            + $"such as http://localhost:8081 or tcp://localhost:50000: {detail}.", inner);
}
