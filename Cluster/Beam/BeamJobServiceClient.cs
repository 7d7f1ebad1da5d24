using System.Net;
using FlinkBeam.Cluster.Beam.Protocol;

namespace FlinkBeam.Cluster.Beam;

/// <summary>
/// Client of a Beam job server's Job API (gRPC service org.apache.beam.model.job_management.v1.JobService,
/// port 8099) for the unary calls the project needs. There is no gRPC health service on a job server;
/// <see cref="GetJobsAsync"/> is the readiness probe.
/// </summary>
/// <param name="http">A client whose BaseAddress is the job server, e.g. http://localhost:8099/, able to speak
/// HTTP/2 without TLS; <see cref="CreateHttpClient"/> makes one.</param>
public sealed class BeamJobServiceClient(HttpClient http)
{
    /// <summary>The fully qualified gRPC service name.</summary>
    public const string ServiceName = "org.apache.beam.model.job_management.v1.JobService";

    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>The deadline of calls that pass none; 30 seconds unless set.</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists every job the job server knows (GetJobs).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="deadline">How long the call may take; <see cref="DefaultDeadline"/> when null.</param>
    /// <exception cref="GrpcCallException">The call failed; DEADLINE_EXCEEDED when the deadline passed.</exception>
    public async Task<IReadOnlyList<BeamJobInfo>> GetJobsAsync(CancellationToken cancellationToken = default, TimeSpan? deadline = null)
    {
        var response = await GrpcUnaryCall.InvokeAsync(_http, ServiceName, "GetJobs", new GetJobsRequest(),
            GetJobsResponse.Parser, deadline ?? DefaultDeadline, cancellationToken).ConfigureAwait(false);
        return response.JobInfo
            .Select(j => new BeamJobInfo(j.JobId, j.JobName, BeamJobStates.FromWire((int)j.State)))
            .ToList();
    }

    /// <summary>Reads one job's current state (GetState).</summary>
    /// <param name="jobId">The job server's job id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="deadline">How long the call may take; <see cref="DefaultDeadline"/> when null.</param>
    /// <exception cref="GrpcCallException">The call failed; NOT_FOUND for an unknown job.</exception>
    public async Task<BeamJobState> GetStateAsync(string jobId, CancellationToken cancellationToken = default, TimeSpan? deadline = null)
    {
        ValidateJobId(jobId);
        var response = await GrpcUnaryCall.InvokeAsync(_http, ServiceName, "GetState", new GetJobStateRequest { JobId = jobId },
            JobStateEvent.Parser, deadline ?? DefaultDeadline, cancellationToken).ConfigureAwait(false);
        return BeamJobStates.FromWire((int)response.State);
    }

    /// <summary>Asks the job server to cancel a job (Cancel) and returns the state it reports: CANCELLING or a terminal state.</summary>
    /// <param name="jobId">The job server's job id.</param>
    /// <param name="cancellationToken">Cancels the call (not the job).</param>
    /// <param name="deadline">How long the call may take; <see cref="DefaultDeadline"/> when null.</param>
    /// <exception cref="GrpcCallException">The call failed; NOT_FOUND for an unknown job.</exception>
    public async Task<BeamJobState> CancelAsync(string jobId, CancellationToken cancellationToken = default, TimeSpan? deadline = null)
    {
        ValidateJobId(jobId);
        var response = await GrpcUnaryCall.InvokeAsync(_http, ServiceName, "Cancel", new CancelJobRequest { JobId = jobId },
            CancelJobResponse.Parser, deadline ?? DefaultDeadline, cancellationToken).ConfigureAwait(false);
        return BeamJobStates.FromWire((int)response.State);
    }

    /// <summary>
    /// Creates an <see cref="HttpClient"/> for a job server at "host:port" (or "http://host:port"): HTTP/2 without
    /// TLS by prior knowledge, no overall timeout (each call carries its own deadline).
    /// </summary>
    /// <param name="hostAndPort">E.g. "localhost:8099", "[::1]:8099" or "http://localhost:8099".</param>
    /// <exception cref="ArgumentException">The value is not a host and port.</exception>
    public static HttpClient CreateHttpClient(string hostAndPort)
    {
        var baseAddress = ParseBaseAddress(hostAndPort);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            EnableMultipleHttp2Connections = true,
        };
        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    internal static Uri ParseBaseAddress(string hostAndPort)
    {
        if (string.IsNullOrWhiteSpace(hostAndPort))
        {
            throw new ArgumentException("The job server address is empty; expected host:port such as localhost:8099.", nameof(hostAndPort));
        }

        var text = hostAndPort.Trim();
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host)
            || uri.IsDefaultPort && !HasExplicitPort(text)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new ArgumentException(
                $"Job server address '{hostAndPort}' is not host:port (e.g. localhost:8099 or http://localhost:8099).",
                nameof(hostAndPort));
        }

        return new Uri($"{uri.Scheme}://{uri.Authority}/");
    }

    private static bool HasExplicitPort(string text)
    {
        var authority = text.Contains("://", StringComparison.Ordinal) ? text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..] : text;
        authority = authority.TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }

    private static void ValidateJobId(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId))
        {
            throw new ArgumentException("The Beam job id is empty.", nameof(jobId));
        }
    }
}
