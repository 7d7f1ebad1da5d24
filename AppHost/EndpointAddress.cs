using Aspire.Hosting.ApplicationModel;

namespace FlinkBeam.AppHost;

/// <summary>Turns an endpoint into the address resolver the health checks take.</summary>
internal static class EndpointAddress
{
    /// <summary>
    /// Resolves the endpoint's URL on every call: the port is allocated when the resource starts, and reading
    /// <see cref="EndpointReference.IsAllocated"/> before that would cache <see langword="false"/>.
    /// </summary>
    public static Func<CancellationToken, Task<Uri>> Resolver(EndpointReference endpoint) => async cancellationToken =>
    {
        var url = await endpoint.GetValueAsync(cancellationToken).ConfigureAwait(false);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"Endpoint '{endpoint.EndpointName}' of '{endpoint.Resource.Name}' has no address yet (got '{url}').");
    };
}
