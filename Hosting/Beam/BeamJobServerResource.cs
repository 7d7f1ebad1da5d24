using FlinkBeam.Cluster.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The Beam Flink job server: Job API, artifact staging and expansion service (all gRPC). It translates a Python
/// pipeline into a Flink job and submits it to the JobManager's REST API.
/// </summary>
/// <param name="name">The resource name.</param>
public sealed class BeamJobServerResource(string name) : ContainerResource(name)
{
    private EndpointReference? _jobEndpoint;
    private EndpointReference? _artifactEndpoint;

    /// <summary>The Job API (<see cref="ClusterPorts.JobService"/>) as the referencing side reaches it.</summary>
    public EndpointReference JobEndpoint =>
        _jobEndpoint ??= new(this, EndpointNames.JobService);

    /// <summary>Artifact staging (<see cref="ClusterPorts.ArtifactStaging"/>) as the referencing side reaches it.</summary>
    public EndpointReference ArtifactEndpoint =>
        _artifactEndpoint ??= new(this, EndpointNames.ArtifactStaging);
}
