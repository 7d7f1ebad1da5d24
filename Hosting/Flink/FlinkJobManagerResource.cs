using FlinkBeam.Cluster.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The Flink JobManager: REST API and web UI on <see cref="ClusterPorts.FlinkRest"/>. Its RPC and blob ports are not
/// endpoints: the TaskManagers reach them by name on the container network, and declaring them would publish them.
/// </summary>
/// <param name="name">The resource name, also the host name the cluster reaches it by.</param>
public sealed class FlinkJobManagerResource(string name) : ContainerResource(name)
{
    private EndpointReference? _restEndpoint;

    /// <summary>The REST/UI endpoint, resolved for whoever references it: <c>localhost</c> for the Submitter and the health check under <c>dotnet run</c>, the service name in compose.</summary>
    public EndpointReference RestEndpoint =>
        _restEndpoint ??= new(this, EndpointNames.FlinkRest);
}
