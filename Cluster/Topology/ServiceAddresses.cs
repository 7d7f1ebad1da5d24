namespace FlinkBeam.Cluster.Topology;

/// <summary>
/// The cluster's endpoints as service-discovery names (Microsoft.Extensions.ServiceDiscovery): a client addressed this
/// way reaches whatever the orchestrator's <c>services__{resource}__{endpoint}__0</c> entries say, and a literal address
/// given instead passes through unchanged. <c>_endpoint.resource</c> names an endpoint other than the scheme's.
/// </summary>
public static class ServiceAddresses
{
    /// <summary>Flink REST: the JobManager's <c>http</c> endpoint.</summary>
    public static Uri FlinkRest { get; } = new($"http://{ResourceNames.JobManager}/");

    /// <summary>The job server's Job API (gRPC over cleartext HTTP/2): its <c>job</c> endpoint.</summary>
    public static Uri JobService { get; } = new($"http://{EndpointQuery(ResourceNames.JobServer, EndpointNames.JobService)}");

    /// <summary>
    /// The query for one endpoint of a resource whatever its scheme, e.g. <c>_artifact.beam-jobserver</c>, for resolving
    /// a literal <c>host:port</c> with <c>ServiceEndpointResolver</c>.
    /// </summary>
    /// <param name="resource">The resource name, e.g. <see cref="ResourceNames.JobServer"/>.</param>
    /// <param name="endpoint">The endpoint name, e.g. <see cref="EndpointNames.ArtifactStaging"/>.</param>
    /// <returns>The query.</returns>
    public static string EndpointQuery(string resource, string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return $"_{endpoint}.{resource}";
    }

    /// <summary>
    /// The orchestrator's service-discovery entry for one endpoint of a resource, <c>services__{resource}__{endpoint}__0</c>:
    /// a Submitter finds the cluster by the names of <see cref="ResourceNames"/> and <see cref="EndpointNames"/>, whatever
    /// resource serves the endpoint.
    /// </summary>
    /// <param name="resource">The resource name, e.g. <see cref="ResourceNames.JobManager"/>.</param>
    /// <param name="endpoint">The endpoint name, e.g. <see cref="EndpointNames.FlinkRest"/>.</param>
    /// <returns>The environment variable's name.</returns>
    public static string EnvironmentVariable(string resource, string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return $"services__{resource}__{endpoint}__0";
    }
}
