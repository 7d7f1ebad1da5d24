using FlinkBeam.Cluster;

namespace FlinkBeam.Hosting;

/// <summary>The environment variables the Submitter reads: its settings and the cluster's service-discovery entries.</summary>
internal static class SubmitterEnvironment
{
    /// <summary>A setting of the <c>Submitter</c> configuration section, e.g. <c>Submitter__TaskManagers</c>.</summary>
    public static string Setting(string name) => $"Submitter__{name}";

    /// <summary>
    /// Aspire's service-discovery entry <c>services__{resource}__{endpoint}__0</c>. The Submitter looks the cluster up by the
    /// names of <see cref="ResourceNames"/> and <see cref="EndpointNames"/>, whatever resource serves the endpoint.
    /// </summary>
    public static string ServiceEndpoint(string resource, string endpoint) => $"services__{resource}__{endpoint}__0";
}
