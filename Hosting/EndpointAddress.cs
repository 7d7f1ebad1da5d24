using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace FlinkBeam.Hosting;

/// <summary>Turns an endpoint or an external service into the address resolver Cluster's health checks take.</summary>
internal static class EndpointAddress
{
    /// <summary>
    /// Resolves the endpoint's URL on every call: the port is allocated when the resource starts, and reading
    /// <see cref="EndpointReference.IsAllocated"/> before that would cache <see langword="false"/>.
    /// </summary>
    public static Func<CancellationToken, Task<Uri>> Resolver(EndpointReference endpoint) => async cancellationToken =>
        Parse(await endpoint.GetValueAsync(cancellationToken).ConfigureAwait(false), $"Endpoint '{endpoint.EndpointName}' of '{endpoint.Resource.Name}'");

    /// <summary>The external service's URL, or its URL parameter's value read on every call.</summary>
    public static Func<CancellationToken, Task<Uri>> Resolver(ExternalServiceResource service) => async cancellationToken =>
        service.Uri ?? Parse(
            service.UrlParameter is { } parameter ? await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false) : null,
            $"External service '{service.Name}'");

    private static Uri Parse(string? url, string what) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{what} has no address yet (got '{url}').");
}
