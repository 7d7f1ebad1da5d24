using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace FlinkBeam.Hosting;

/// <summary>
/// One part of a cluster as the Submitter reaches it: an endpoint of a container this AppHost runs, or an external
/// service that stands for a part of a cluster that already exists.
/// </summary>
internal abstract class ClusterEndpoint
{
    /// <summary>Passes the address to <paramref name="project"/> as <paramref name="variable"/>, with a reference to its resource.</summary>
    public abstract void PassTo<T>(IResourceBuilder<T> project, string variable)
        where T : IResourceWithEnvironment;

    /// <summary>Resolves the address as the host sees it, on every call (a port is allocated when its resource starts).</summary>
    public abstract Func<CancellationToken, Task<Uri>> Address { get; }

    public static ClusterEndpoint Of(EndpointReference endpoint) => new Endpoint(endpoint);

    public static ClusterEndpoint Of(IResourceBuilder<ExternalServiceResource> service) => new Service(service);

    private sealed class Endpoint(EndpointReference endpoint) : ClusterEndpoint
    {
        public override void PassTo<T>(IResourceBuilder<T> project, string variable) => project.WithEnvironment(variable, endpoint);

        public override Func<CancellationToken, Task<Uri>> Address => EndpointAddress.Resolver(endpoint);
    }

    private sealed class Service(IResourceBuilder<ExternalServiceResource> service) : ClusterEndpoint
    {
        public override void PassTo<T>(IResourceBuilder<T> project, string variable) => project.WithEnvironment(variable, service);

        public override Func<CancellationToken, Task<Uri>> Address => EndpointAddress.Resolver(service.Resource);
    }
}
