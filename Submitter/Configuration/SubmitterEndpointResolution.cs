using FlinkBeam.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>
/// Service mode: fills the cluster endpoints left empty in <see cref="SubmitterOptions"/> from Aspire's reference
/// entries (<c>services__{resource}__{endpoint}__0</c>): the JobManager's REST endpoint, the job server's Job API and
/// artifact endpoints, and the worker pool of each TaskManager 1..<see cref="SubmitterOptions.TaskManagers"/>.
/// Values set explicitly always win.
/// </summary>
public sealed class SubmitterEndpointResolution(IConfiguration configuration) : IPostConfigureOptions<SubmitterOptions>
{
    public void PostConfigure(string? name, SubmitterOptions options) => Apply(configuration, options);

    /// <exception cref="FormatException">A services entry is malformed; the message names the key.</exception>
    public static void Apply(IConfiguration configuration, SubmitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);

        if (string.IsNullOrWhiteSpace(options.FlinkRestUrl)
            && configuration.GetServiceEndpoint(ResourceNames.JobManager, EndpointNames.FlinkRest) is { } flink)
        {
            options.FlinkRestUrl = flink.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        if (string.IsNullOrWhiteSpace(options.JobEndpoint))
        {
            options.JobEndpoint = Address(configuration, ResourceNames.JobServer, EndpointNames.JobService);
        }

        if (string.IsNullOrWhiteSpace(options.ArtifactEndpoint))
        {
            options.ArtifactEndpoint = Address(configuration, ResourceNames.JobServer, EndpointNames.ArtifactStaging);
        }

        if (options.WorkerPools.Count == 0)
        {
            for (var i = 1; i <= options.TaskManagers; i++)
            {
                if (Address(configuration, ResourceNames.TaskManager(i), EndpointNames.WorkerPool) is { } pool)
                {
                    options.WorkerPools.Add(pool);
                }
            }
        }
    }

    private static string? Address(IConfiguration configuration, string resource, string endpoint) =>
        configuration.GetServiceEndpoint(resource, endpoint) is { } uri && HostAndPort.TryFromUri(uri, out var address)
            ? address.ToString()
            : null;
}
