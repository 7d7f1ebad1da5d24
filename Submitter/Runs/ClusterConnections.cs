using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Configuration;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// The protocol clients built from <see cref="SubmitterOptions"/>, with the <see cref="HttpClient"/>s they own.
/// Flink REST: <see cref="SubmitterOptions.FlinkRestUrl"/> (<c>http://host:port</c>, or <c>host:port</c>), 10 s per call.
/// Job API: <see cref="SubmitterOptions.JobEndpoint"/> (<c>host:port</c>, HTTP/2 without TLS); absent when not configured.
/// </summary>
public sealed class ClusterConnections : IDisposable
{
    /// <summary>Bounds each Flink REST call; polls are short, so a hung JobManager is noticed quickly.</summary>
    public static readonly TimeSpan FlinkCallTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _flinkHttp;
    private readonly HttpClient? _jobServiceHttp;

    private ClusterConnections(Uri flinkRestUrl, HttpClient flinkHttp, HttpClient? jobServiceHttp)
    {
        FlinkRestUrl = flinkRestUrl;
        _flinkHttp = flinkHttp;
        _jobServiceHttp = jobServiceHttp;
        Flink = new FlinkRestClient(flinkHttp);
        JobService = jobServiceHttp is null ? null : new BeamJobServiceClient(jobServiceHttp);
    }

    /// <summary>Flink REST base address, ending in '/'.</summary>
    public Uri FlinkRestUrl { get; }

    public FlinkRestClient Flink { get; }

    /// <summary>Null when <see cref="SubmitterOptions.JobEndpoint"/> is empty (FlinkRunner mode needs no job server).</summary>
    public BeamJobServiceClient? JobService { get; }

    /// <exception cref="InvalidOperationException">FlinkRestUrl is missing or not an http(s) address, or JobEndpoint is not host:port.</exception>
    public static ClusterConnections Create(SubmitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var flinkUrl = FlinkRestBase(options);
        var flinkHttp = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            BaseAddress = flinkUrl,
            Timeout = FlinkCallTimeout,
        };

        HttpClient? jobServiceHttp = null;
        if (!string.IsNullOrWhiteSpace(options.JobEndpoint))
        {
            try
            {
                jobServiceHttp = BeamJobServiceClient.CreateHttpClient(options.JobEndpoint);
            }
            catch (ArgumentException ex)
            {
                flinkHttp.Dispose();
                throw new InvalidOperationException(
                    $"Submitter configuration: JobEndpoint '{options.JobEndpoint}' is not host:port, e.g. localhost:{ClusterPorts.JobService} ({ex.Message})", ex);
            }
        }

        return new ClusterConnections(flinkUrl, flinkHttp, jobServiceHttp);
    }

    /// <summary><see cref="SubmitterOptions.FlinkRestUrl"/> as a base address ending in '/'.</summary>
    /// <exception cref="InvalidOperationException">Missing or not an http(s) address.</exception>
    public static Uri FlinkRestBase(SubmitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = options.FlinkRestUrl?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidOperationException(
                $"Submitter configuration: FlinkRestUrl is not set; give Flink's REST address, e.g. http://localhost:{ClusterPorts.FlinkRest}.");
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException(
                $"Submitter configuration: FlinkRestUrl '{options.FlinkRestUrl}' is not an http(s) address like http://localhost:{ClusterPorts.FlinkRest}.");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>The <c>--flink_master</c> value for FlinkRunner mode: <c>http://host:port</c>.</summary>
    public static string FlinkMaster(SubmitterOptions options) => FlinkRestBase(options).GetLeftPart(UriPartial.Authority);

    public void Dispose()
    {
        _flinkHttp.Dispose();
        _jobServiceHttp?.Dispose();
    }
}
