using Grpc.Core;

namespace FlinkBeam.Cluster.Beam;

/// <summary>One unary call of a generated client with its own deadline, as the Beam clients make them.</summary>
internal static class GrpcUnaryCall
{
    /// <summary>
    /// Makes <paramref name="call"/> with a deadline <paramref name="deadline"/> from now. The caller's cancellation
    /// stays an <see cref="OperationCanceledException"/>; every other failure is the call's <see cref="RpcException"/>.
    /// </summary>
    public static async Task<TResponse> RunAsync<TResponse>(
        Func<CallOptions, AsyncUnaryCall<TResponse>> call, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (deadline <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(deadline), deadline, "A gRPC deadline must be positive.");
        }

        try
        {
            using var pending = call(new CallOptions(deadline: DateTime.UtcNow + deadline, cancellationToken: cancellationToken));
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Status.Detail, e, cancellationToken);
        }
    }
}
