using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The FlinkBeam Submitter: the .NET project that launches catalogued pipelines on a Flink + Beam cluster and follows
/// every run. Its HTTP API answers on <see cref="HttpEndpoint"/> and requires <see cref="ApiKeyParameter"/> as a bearer
/// token; its pipelines are <see cref="PipelineResource"/>s beneath it in the dashboard.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="apiKey">The secret the API requires (<c>Authorization: Bearer &lt;key&gt;</c>) and the dashboard presents.</param>
public sealed class SubmitterResource(string name, ParameterResource apiKey) : ProjectResource(name)
{
    private EndpointReference? _httpEndpoint;

    /// <summary>The HTTP endpoint of the Submitter's API, <c>/health</c> and the run events.</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, EndpointNames.SubmitterHttp);

    /// <summary>The key every caller of the API presents, the dashboard's commands and run events included.</summary>
    public ParameterResource ApiKeyParameter { get; } = apiKey ?? throw new ArgumentNullException(nameof(apiKey));

    /// <summary>Flink REST as the host sees it, whose web UI shows the pipelines' jobs; set with the cluster.</summary>
    internal Func<CancellationToken, Task<Uri>>? FlinkRestAddress { get; set; }

    /// <summary>The Flink version the cluster runs, which decides the web UI's job page; set with the cluster settings.</summary>
    internal MinorVersion? FlinkVersion { get; set; }
}
