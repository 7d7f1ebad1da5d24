using FlinkBeam.Cluster.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Flink TaskManager whose image is built by this library (<c>containers/taskmanager</c>): the TaskManager and a Beam
/// Python SDK worker pool in one container, so the SDK workers reach the TaskManager's <c>localhost</c> gRPC servers.
/// </summary>
/// <param name="name">The resource name, e.g. <c>flink-taskmanager-1</c>.</param>
public sealed class FlinkTaskManagerResource(string name) : ContainerResource(name)
{
    private EndpointReference? _workerPoolEndpoint;

    /// <summary>
    /// The worker pool as the referencing side reaches it, for health and the Submitter's gate. Pipelines never use it: the
    /// TaskManager dials its pool as <c>localhost:50000</c> inside the container.
    /// </summary>
    public EndpointReference WorkerPoolEndpoint =>
        _workerPoolEndpoint ??= new(this, EndpointNames.WorkerPool);
}
