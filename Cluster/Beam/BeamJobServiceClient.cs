using FlinkBeam.Cluster.Beam.Protocol;
using Grpc.Core;

namespace FlinkBeam.Cluster.Beam;

/// <summary>
/// The Beam job server's Job API (gRPC service <c>org.apache.beam.model.job_management.v1.JobService</c>, port 8099) for
/// the calls the project makes, over the client Grpc.Tools generates from <c>beam_job_api.proto</c>. There is no gRPC
/// health service on a job server; <see cref="GetJobsAsync"/> is the readiness probe.
/// </summary>
/// <remarks>
/// A failed call is an <see cref="RpcException"/>: <see cref="StatusCode.DeadlineExceeded"/> when its deadline passed,
/// <see cref="StatusCode.Unavailable"/> when the server could not be reached, or the status the server sent. The caller's
/// own cancellation stays an <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class BeamJobServiceClient
{
    private readonly JobService.JobServiceClient _client;

    /// <summary>Creates a client that calls through <paramref name="callInvoker"/>, e.g. <c>GrpcChannel.CreateCallInvoker()</c>.</summary>
    /// <param name="callInvoker">The channel's call invoker.</param>
    public BeamJobServiceClient(CallInvoker callInvoker)
        : this(new JobService.JobServiceClient(callInvoker ?? throw new ArgumentNullException(nameof(callInvoker))))
    {
    }

    internal BeamJobServiceClient(JobService.JobServiceClient client)
    {
        _client = client;
    }

    /// <summary>The fully qualified gRPC service name, from the proto file.</summary>
    public static string ServiceName => JobService.Descriptor.FullName;

    /// <summary>The deadline of calls that pass none; 30 seconds unless set.</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists every job the job server knows (GetJobs).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="deadline">How long the call may take; <see cref="DefaultDeadline"/> when null.</param>
    /// <returns>The jobs, in the job server's order.</returns>
    /// <exception cref="RpcException">The call failed; DEADLINE_EXCEEDED when the deadline passed.</exception>
    public async Task<IReadOnlyList<BeamJobInfo>> GetJobsAsync(CancellationToken cancellationToken = default, TimeSpan? deadline = null)
    {
        var response = await CallAsync(options => _client.GetJobsAsync(new GetJobsRequest(), options), deadline, cancellationToken)
            .ConfigureAwait(false);
        return response.JobInfo
            .Select(j => new BeamJobInfo(j.JobId, j.JobName, BeamJobStates.FromWire((int)j.State)))
            .ToList();
    }

    /// <summary>Reads one job's current state (GetState).</summary>
    /// <param name="jobId">The job server's job id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="deadline">How long the call may take; <see cref="DefaultDeadline"/> when null.</param>
    /// <returns>The job's state.</returns>
    /// <exception cref="RpcException">The call failed; NOT_FOUND for an unknown job.</exception>
    public async Task<BeamJobState> GetStateAsync(string jobId, CancellationToken cancellationToken = default, TimeSpan? deadline = null)
    {
        ValidateJobId(jobId);
        var response = await CallAsync(options => _client.GetStateAsync(new GetJobStateRequest { JobId = jobId }, options), deadline, cancellationToken)
            .ConfigureAwait(false);
        return BeamJobStates.FromWire((int)response.State);
    }

    /// <summary>Asks the job server to cancel a job (Cancel) and returns the state it reports: CANCELLING or a terminal state.</summary>
    /// <param name="jobId">The job server's job id.</param>
    /// <param name="cancellationToken">Cancels the call (not the job).</param>
    /// <param name="deadline">How long the call may take; <see cref="DefaultDeadline"/> when null.</param>
    /// <returns>The state the job server reports after the request.</returns>
    /// <exception cref="RpcException">The call failed; NOT_FOUND for an unknown job.</exception>
    public async Task<BeamJobState> CancelAsync(string jobId, CancellationToken cancellationToken = default, TimeSpan? deadline = null)
    {
        ValidateJobId(jobId);
        var response = await CallAsync(options => _client.CancelAsync(new CancelJobRequest { JobId = jobId }, options), deadline, cancellationToken)
            .ConfigureAwait(false);
        return BeamJobStates.FromWire((int)response.State);
    }

    private Task<TResponse> CallAsync<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> call, TimeSpan? deadline, CancellationToken cancellationToken) =>
        GrpcUnaryCall.RunAsync(call, deadline ?? DefaultDeadline, cancellationToken);

    private static void ValidateJobId(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId))
        {
            throw new ArgumentException("The Beam job id is empty.", nameof(jobId));
        }
    }
}
