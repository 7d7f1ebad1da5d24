using System.Net;
using System.Net.Sockets;
using FlinkBeam.Cluster.Probes;
using FlinkBeam.Testing;

namespace FlinkBeam.Cluster.Tests;

public sealed class GrpcEndpointProbeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_HTTP2_server_answers()
    {
        await using var server = await FakeBeamJobServer.StartAsync(Ct);

        var result = await GrpcEndpointProbe.ProbeAsync("127.0.0.1", server.Port, Generous, Ct);

        Assert.Equal(new ProbeResult(true, "HTTP/2 server answered"), result);
        // The probe speaks HTTP/2 at connection level only: it makes no gRPC call.
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_host_name_is_resolved()
    {
        await using var server = await FakeBeamJobServer.StartAsync(Ct);

        var result = await GrpcEndpointProbe.ProbeAsync("localhost", server.Port, Generous, Ct);

        Assert.True(result.Ok, result.Detail);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        var result = await GrpcEndpointProbe.ProbeAsync("127.0.0.1", FreePort(), Generous, Ct);

        Assert.Equal(new ProbeResult(false, "connection refused"), result);
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

        var result = await GrpcEndpointProbe.ProbeAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Generous, Ct);
        await closer;

        Assert.False(result.Ok);
        Assert.StartsWith("closed before SETTINGS", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_that_never_answers_times_out()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var release = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var silent = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(release.Token);
            await Task.Delay(Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }, Ct);

        var result = await GrpcEndpointProbe.ProbeAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, TimeSpan.FromMilliseconds(400), Ct);
        await release.CancelAsync();
        await silent;

        Assert.Equal(new ProbeResult(false, "timed out after 400ms"), result);
    }

    [Fact]
    public async Task An_HTTP1_only_server_is_not_taken_for_a_gRPC_server()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);

        var result = await GrpcEndpointProbe.ProbeAsync("127.0.0.1", flink.RestUrl.Port, Generous, Ct);

        Assert.Equal(new ProbeResult(false, "refused HTTP/2: GOAWAY before SETTINGS"), result);
    }

    [Fact]
    public async Task A_plain_text_answer_is_not_taken_for_a_gRPC_server()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var talker = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(Ct);
            await client.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray(), Ct);
            await Task.Delay(200, Ct);
        }, Ct);

        var result = await GrpcEndpointProbe.ProbeAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Generous, Ct);
        await talker;

        // "SSH-2.0-O": the byte at the frame-type position is '-' (0x2d).
        Assert.Equal(new ProbeResult(false, "not an HTTP/2 server: first frame type 0x2d, expected SETTINGS (0x04)"), result);
    }

    [Fact]
    public async Task The_callers_cancellation_throws()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => GrpcEndpointProbe.ProbeAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Generous, cts.Token));
    }

    [Theory]
    [InlineData("", 50000, 1000)]
    [InlineData("localhost", 0, 1000)]
    [InlineData("localhost", 65536, 1000)]
    [InlineData("localhost", 50000, 0)]
    public async Task Bad_arguments_are_rejected(string host, int port, int timeoutMs)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => GrpcEndpointProbe.ProbeAsync(host, port, TimeSpan.FromMilliseconds(timeoutMs), Ct));
    }
}
