using System.Net;
using System.Net.Sockets;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Health;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The resources' health checks against real loopback servers that speak Flink REST and gRPC.</summary>
public sealed class HealthCheckTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static HealthCheckContext Context(IHealthCheck check) =>
        new() { Registration = new HealthCheckRegistration("check", check, failureStatus: null, tags: null) };

    private static Func<CancellationToken, Task<Uri>> At(Uri address) => _ => Task.FromResult(address);

    private static Task<HealthCheckResult> Run(IHealthCheck check) =>
        check.CheckHealthAsync(Context(check), TestContext.Current.CancellationToken);

    [Fact]
    public async Task JobManager_is_healthy_when_overview_answers_and_reports_what_it_saw()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(TestContext.Current.CancellationToken);
        flink.TaskManagers = 2;

        var result = await Run(new FlinkRestHealthCheck(At(flink.RestUrl), Timeout));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("Flink 1.20.0", result.Description, StringComparison.Ordinal);
        Assert.Contains("2 TaskManager(s)", result.Description, StringComparison.Ordinal);
        Assert.Equal(1, flink.RequestCount("/overview"));
    }

    [Fact]
    public async Task JobManager_is_healthy_without_any_TaskManager_so_nothing_waits_in_a_circle()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(TestContext.Current.CancellationToken);
        flink.TaskManagers = 0;

        var result = await Run(new FlinkRestHealthCheck(At(flink.RestUrl), Timeout));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("0 TaskManager(s)", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobManager_is_unhealthy_when_overview_is_not_valid_json()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(TestContext.Current.CancellationToken);
        flink.Interceptor = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"taskmanagers\": ");
            return true;
        };

        var result = await Run(new FlinkRestHealthCheck(At(flink.RestUrl), Timeout));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("/overview", result.Description, StringComparison.Ordinal);
        Assert.NotNull(result.Exception);
    }

    [Fact]
    public async Task JobManager_is_unhealthy_when_nothing_listens()
    {
        var address = new Uri($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}/");

        var result = await Run(new FlinkRestHealthCheck(At(address), Timeout));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains(address.Authority, result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_whose_address_is_not_known_yet_is_unhealthy_and_says_so()
    {
        var check = new FlinkRestHealthCheck(_ => throw new InvalidOperationException("not allocated"), Timeout);

        var result = await Run(check);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not allocated", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_server_is_healthy_when_GetJobs_answers()
    {
        await using var jobServer = await FakeBeamJobServer.StartAsync(TestContext.Current.CancellationToken);
        jobServer.AddJob("wordcount-1_abc", "wordcount-1", BeamJobState.Done);
        var check = new BeamJobServerHealthCheck(At(new Uri($"http://{jobServer.HostAndPort}")), Timeout);

        var first = await Run(check);
        var second = await Run(check);

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Contains("GetJobs answered (1 job)", first.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, second.Status);
        Assert.Equal(2, jobServer.CallCount("GetJobs"));
    }

    [Fact]
    public async Task Job_server_is_unhealthy_when_GetJobs_returns_an_error_status()
    {
        await using var jobServer = await FakeBeamJobServer.StartAsync(TestContext.Current.CancellationToken);
        jobServer.FailNext("GetJobs", FakeGrpcFailure.Status(14, "starting up"));
        var check = new BeamJobServerHealthCheck(At(new Uri($"http://{jobServer.HostAndPort}")), Timeout);

        var failed = await Run(check);
        var recovered = await Run(check);

        Assert.Equal(HealthStatus.Unhealthy, failed.Status);
        Assert.Contains("GetJobs", failed.Description, StringComparison.Ordinal);
        Assert.Contains("UNAVAILABLE: starting up", failed.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
    }

    [Fact]
    public async Task Job_server_is_unhealthy_when_nothing_listens()
    {
        var result = await Run(new BeamJobServerHealthCheck(At(new Uri($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}")), Timeout));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task Worker_pool_is_healthy_when_it_answers_StopWorker()
    {
        await using var pool = await FakeWorkerPool.StartAsync(TestContext.Current.CancellationToken);

        var result = await Run(new WorkerPoolHealthCheck(At(new Uri($"tcp://{pool.HostAndPort}")), Timeout));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal($"Worker pool at {pool.HostAndPort}: StopWorker answered.", result.Description);
    }

    [Fact]
    public async Task Worker_pool_is_unhealthy_when_a_gRPC_server_of_another_kind_answers()
    {
        await using var jobServer = await FakeBeamJobServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await Run(new WorkerPoolHealthCheck(At(new Uri($"tcp://{jobServer.HostAndPort}")), Timeout));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("StopWorker is UNIMPLEMENTED", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_pool_is_unhealthy_when_the_port_accepts_but_never_answers()
    {
        // What a port proxy with nothing behind it looks like: the connection is accepted, then nothing.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var accepted = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(accepted.Token);
            await Task.Delay(System.Threading.Timeout.Infinite, accepted.Token);
        }, TestContext.Current.CancellationToken);

        var result = await Run(new WorkerPoolHealthCheck(At(new Uri($"tcp://127.0.0.1:{port}")), TimeSpan.FromSeconds(1)));

        await accepted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acceptLoop);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"127.0.0.1:{port}", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_pool_is_unhealthy_when_nothing_listens()
    {
        var result = await Run(new WorkerPoolHealthCheck(At(new Uri($"tcp://127.0.0.1:{FakePipelineFiles.ClosedPort()}")), Timeout));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }
}
