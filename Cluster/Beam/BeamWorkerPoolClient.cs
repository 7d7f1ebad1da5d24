using FlinkBeam.Cluster.Beam.Protocol;
using Grpc.Core;

namespace FlinkBeam.Cluster.Beam;

/// <summary>
/// A Beam SDK worker pool (gRPC service <c>org.apache.beam.model.fn_execution.v1.BeamFnExternalWorkerPool</c>, port
/// 50000 inside a TaskManager) for the call the project makes, over the client Grpc.Tools generates from
/// <c>beam_fn_worker_pool.proto</c>. A pool has no gRPC health service; <see cref="StopWorkerAsync"/> for a worker it
/// never started (<see cref="ProbeWorkerId"/>) is the readiness probe: Beam's pool answers it with an empty response and
/// changes nothing.
/// </summary>
/// <remarks>
/// A failed call is an <see cref="RpcException"/>: <see cref="StatusCode.DeadlineExceeded"/> when its deadline passed,
/// <see cref="StatusCode.Unavailable"/> when the pool could not be reached, <see cref="StatusCode.Unimplemented"/> from a
/// gRPC server that is not a worker pool. The caller's own cancellation stays an <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class BeamWorkerPoolClient
{
    /// <summary>The worker id the probe asks to stop; no runner starts a worker by this id.</summary>
    public const string ProbeWorkerId = "flinkbeam-readiness-probe";

    private readonly BeamFnExternalWorkerPool.BeamFnExternalWorkerPoolClient _client;

    /// <summary>Creates a client that calls through <paramref name="callInvoker"/>, e.g. <c>GrpcChannel.CreateCallInvoker()</c>.</summary>
    /// <param name="callInvoker">The channel's call invoker.</param>
    public BeamWorkerPoolClient(CallInvoker callInvoker)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        _client = new BeamFnExternalWorkerPool.BeamFnExternalWorkerPoolClient(callInvoker);
    }

    /// <summary>The fully qualified gRPC service name, from the proto file.</summary>
    public static string ServiceName => BeamFnExternalWorkerPool.Descriptor.FullName;

    /// <summary>Asks the pool to stop the SDK worker <paramref name="workerId"/> (StopWorker).</summary>
    /// <param name="workerId">The worker's id, as the runner gave it in StartWorker.</param>
    /// <param name="deadline">How long the call may take.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The error the pool reported, or null when it reported none.</returns>
    /// <exception cref="RpcException">The call failed.</exception>
    public async Task<string?> StopWorkerAsync(string workerId, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var response = await GrpcUnaryCall.RunAsync(
            options => _client.StopWorkerAsync(new StopWorkerRequest { WorkerId = workerId }, options), deadline, cancellationToken)
            .ConfigureAwait(false);
        return string.IsNullOrEmpty(response.Error) ? null : response.Error;
    }
}
