using System.Net.Sockets;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The generated Job API client, through <see cref="BeamJobServiceClient"/>, against the loopback job server.</summary>
public sealed class BeamJobServiceClientTests : IAsyncLifetime
{
    private FakeBeamJobServer _server = null!;
    private GrpcChannel _channel = null!;
    private BeamJobServiceClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeBeamJobServer.StartAsync(Ct);
        _channel = GrpcChannel.ForAddress(_server.Url);
        _client = new BeamJobServiceClient(_channel.CreateCallInvoker());
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetJobs_lists_every_job_with_name_and_state()
    {
        var first = _server.AddJob("wordcount-ab12cd34", BeamJobState.Running);
        var second = _server.AddJob("wordcount-ef56ab78", BeamJobState.Done);

        var jobs = await _client.GetJobsAsync(Ct);

        Assert.Equal(
            [new BeamJobInfo(first, "wordcount-ab12cd34", BeamJobState.Running), new BeamJobInfo(second, "wordcount-ef56ab78", BeamJobState.Done)],
            jobs);
    }

    [Fact]
    public async Task GetJobs_on_an_empty_server_returns_an_empty_list()
    {
        var jobs = await _client.GetJobsAsync(Ct);

        Assert.Empty(jobs);
        Assert.Equal(1, _server.CallCount("GetJobs"));
    }

    [Fact]
    public async Task Calls_are_gRPC_over_HTTP2_and_carry_the_deadline()
    {
        await _client.GetJobsAsync(Ct, deadline: TimeSpan.FromSeconds(7));

        var call = Assert.Single(_server.Calls);
        Assert.Equal("GetJobs", call.Method);
        Assert.Equal("HTTP/2", call.Protocol);
        Assert.Equal("application/grpc", call.ContentType);
        Assert.Equal("trailers", call.Te);
        Assert.NotNull(call.GrpcTimeout);
    }

    [Fact]
    public async Task GetState_reads_a_jobs_state_and_an_unknown_job_is_NOT_FOUND()
    {
        var id = _server.AddJob("wordcount-1", BeamJobState.Running);

        Assert.Equal(BeamJobState.Running, await _client.GetStateAsync(id, Ct));
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetStateAsync("nope_1", Ct));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("Job nope_1 not found", error.Status.Detail);
    }

    [Fact]
    public async Task Cancel_cancels_a_running_job_and_returns_the_state_the_server_reports()
    {
        var id = _server.AddJob("wordcount-2", BeamJobState.Running);

        var state = await _client.CancelAsync(id, Ct);

        Assert.Equal(BeamJobState.Cancelled, state);
        Assert.Equal([id], _server.CancelledJobIds);
        Assert.Equal(BeamJobState.Cancelled, Assert.Single(_server.Jobs).State);
    }

    [Theory]
    [InlineData(FakeGrpcFailureKind.Status)]
    [InlineData(FakeGrpcFailureKind.TrailersOnly)]
    public async Task An_error_status_from_the_server_is_an_RpcException_with_its_code_and_message(FakeGrpcFailureKind kind)
    {
        _server.FailNext("GetJobs", kind == FakeGrpcFailureKind.Status
            ? FakeGrpcFailure.Status(14, "job service is shutting down — 100% busy")
            : FakeGrpcFailure.TrailersOnly(14, "job service is shutting down — 100% busy"));

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetJobsAsync(Ct));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("job service is shutting down — 100% busy", error.Status.Detail);
        Assert.Null(error.InnerException);
        Assert.Equal("UNAVAILABLE", GrpcStatusNames.Of(error.StatusCode));
    }

    [Fact]
    public async Task A_call_that_outlives_its_deadline_is_DEADLINE_EXCEEDED()
    {
        _server.FailNext("GetJobs", FakeGrpcFailure.Delay(TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetJobsAsync(Ct, TimeSpan.FromMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_an_OperationCanceledException()
    {
        _server.FailNext("GetJobs", FakeGrpcFailure.Delay(TimeSpan.FromSeconds(30)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetJobsAsync(cancel.Token));
    }

    [Fact]
    public async Task A_server_that_is_gone_is_UNAVAILABLE_with_the_transport_error_inside()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}");

        var error = await Assert.ThrowsAsync<RpcException>(() => new BeamJobServiceClient(channel.CreateCallInvoker()).GetJobsAsync(Ct));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var refused = Assert.IsType<SocketException>(error.InnerException);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task An_empty_job_id_is_refused_before_any_call(string jobId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.GetStateAsync(jobId, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.CancelAsync(jobId, Ct));
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public void Status_codes_have_their_canonical_names()
    {
        Assert.Equal("OK", GrpcStatusNames.Of(StatusCode.OK));
        Assert.Equal("DEADLINE_EXCEEDED", GrpcStatusNames.Of(StatusCode.DeadlineExceeded));
        Assert.Equal("FAILED_PRECONDITION", GrpcStatusNames.Of(StatusCode.FailedPrecondition));
        Assert.Equal("UNAUTHENTICATED", GrpcStatusNames.Of(StatusCode.Unauthenticated));
        Assert.Equal("STATUS_42", GrpcStatusNames.Of((StatusCode)42));
    }
}
