using System.Net;
using System.Net.Sockets;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Checks;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;

namespace FlinkBeam.Cluster.Tests;

/// <summary><see cref="WorkerPoolCheck"/> over real channels against real listeners on loopback.</summary>
public sealed class WorkerPoolCheckTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private readonly GrpcChannelCache _channels = new(Generous);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _channels.Dispose();

    [Fact]
    public async Task A_worker_pool_answers_StopWorker_for_the_probes_worker_id()
    {
        await using var pool = await FakeWorkerPool.StartAsync(Ct);

        var result = await WorkerPoolCheck.RunAsync(_channels.For(Address(pool.Port)), Generous, Ct);

        Assert.Equal(new CheckResult(true, "StopWorker answered"), result);
        Assert.Equal([BeamWorkerPoolClient.ProbeWorkerId], pool.StopWorkerIds);
    }

    [Fact]
    public async Task A_host_name_is_resolved()
    {
        await using var pool = await FakeWorkerPool.StartAsync(Ct);

        var result = await WorkerPoolCheck.RunAsync(_channels.For(new HostAndPort("localhost", pool.Port)), Generous, Ct);

        Assert.True(result.Ok, result.Detail);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        var result = await WorkerPoolCheck.RunAsync(_channels.For(Address(FakePipelineFiles.ClosedPort())), Generous, Ct);

        Assert.Equal(new CheckResult(false, "connection refused"), result);
    }

    [Fact]
    public async Task A_gRPC_server_of_another_kind_is_not_taken_for_a_worker_pool()
    {
        await using var jobServer = await FakeBeamJobServer.StartAsync(Ct);

        var result = await WorkerPoolCheck.RunAsync(_channels.For(Address(jobServer.Port)), Generous, Ct);

        Assert.Equal(
            new CheckResult(false, "a gRPC server without org.apache.beam.model.fn_execution.v1.BeamFnExternalWorkerPool (StopWorker is UNIMPLEMENTED)"),
            result);
    }

    [Fact]
    public async Task A_listener_that_accepts_and_closes_fails_like_a_port_proxy_with_nothing_behind()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closer = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(Ct);
        }, Ct);

        var result = await WorkerPoolCheck.RunAsync(_channels.For(Address(((IPEndPoint)listener.LocalEndpoint).Port)), Generous, Ct);
        await closer;

        Assert.False(result.Ok);
        Assert.DoesNotContain(Environment.NewLine, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_that_never_answers_is_reported_when_the_deadline_passes()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var release = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var silent = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(release.Token);
            await Task.Delay(Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }, Ct);

        var result = await WorkerPoolCheck.RunAsync(
            _channels.For(Address(((IPEndPoint)listener.LocalEndpoint).Port)), TimeSpan.FromMilliseconds(400), Ct);
        await release.CancelAsync();
        await silent;

        Assert.Equal(new CheckResult(false, "no answer within 400 ms"), result);
    }

    [Fact]
    public async Task An_HTTP1_only_server_is_not_taken_for_a_worker_pool()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);

        var result = await WorkerPoolCheck.RunAsync(_channels.For(Address(flink.RestUrl.Port)), Generous, Ct);

        Assert.False(result.Ok, result.Detail);
    }

    [Fact]
    public async Task The_callers_cancellation_throws()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => WorkerPoolCheck.RunAsync(_channels.For(Address(((IPEndPoint)listener.LocalEndpoint).Port)), Generous, cts.Token));
    }

    [Fact]
    public async Task Checks_of_one_address_share_a_channel_and_other_addresses_get_their_own()
    {
        await using var first = await FakeWorkerPool.StartAsync(Ct);
        await using var second = await FakeWorkerPool.StartAsync(Ct);

        Assert.Same(_channels.For(Address(first.Port)), _channels.For(new Uri($"tcp://127.0.0.1:{first.Port}/")));
        Assert.NotSame(_channels.For(Address(first.Port)), _channels.For(Address(second.Port)));
        Assert.True((await WorkerPoolCheck.RunAsync(_channels.For(Address(first.Port)), Generous, Ct)).Ok);
        Assert.True((await WorkerPoolCheck.RunAsync(_channels.For(Address(second.Port)), Generous, Ct)).Ok);
        Assert.Single(first.StopWorkerIds);
        Assert.Single(second.StopWorkerIds);
    }

    [Fact]
    public async Task A_deadline_that_is_not_positive_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => WorkerPoolCheck.RunAsync(_channels.For(Address(FakePipelineFiles.ClosedPort())), TimeSpan.Zero, Ct));
    }

    private static HostAndPort Address(int port) => new("127.0.0.1", port);
}
