using FlinkBeam.Cluster.Beam;
using Grpc.Core;
using Grpc.Net.Client;

namespace FlinkBeam.Cluster.Checks;

/// <summary>
/// Whether a Beam SDK worker pool serves at an address: it answers a real StopWorker call for a worker it never
/// started. A bare TCP connect is not enough (Docker's port proxy accepts connections with nothing behind it), and a
/// gRPC server of another kind answers UNIMPLEMENTED.
/// </summary>
public static class WorkerPoolCheck
{
    /// <summary>What a ready worker pool does, for the texts that name the expectation.</summary>
    public const string Expected = "a Beam worker pool answering StopWorker";

    /// <summary>Calls StopWorker over <paramref name="channel"/> with <paramref name="timeout"/> as its deadline.</summary>
    /// <param name="channel">The channel to the pool, e.g. from a <see cref="GrpcChannelCache"/>.</param>
    /// <param name="timeout">The call's deadline.</param>
    /// <param name="cancellationToken">Cancels the check; throws <see cref="OperationCanceledException"/> then.</param>
    /// <returns>Ok when the pool answered; otherwise what was seen instead. Never throws for a failed call.</returns>
    public static async Task<CheckResult> RunAsync(GrpcChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            var error = await new BeamWorkerPoolClient(channel.CreateCallInvoker())
                .StopWorkerAsync(BeamWorkerPoolClient.ProbeWorkerId, timeout, cancellationToken).ConfigureAwait(false);
            return new CheckResult(true, error is null ? "StopWorker answered" : $"StopWorker answered (with error: {error})");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new CheckResult(false, e.StatusCode == StatusCode.Unimplemented
                ? $"a gRPC server without {BeamWorkerPoolClient.ServiceName} (StopWorker is UNIMPLEMENTED)"
                : CheckFailure.Describe(e, "StopWorker", timeout));
        }
    }
}
