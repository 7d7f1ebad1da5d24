using FlinkBeam.Cluster.Beam;
using FlinkBeam.Testing;

namespace FlinkBeam.Cluster.Tests;

public sealed class BeamJobServiceClientTests : IAsyncLifetime
{
    private FakeBeamJobServer _server = null!;
    private HttpClient _http = null!;
    private BeamJobServiceClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeBeamJobServer.StartAsync(Ct);
        _http = BeamJobServiceClient.CreateHttpClient(_server.HostAndPort);
        _client = new BeamJobServiceClient(_http);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
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
        // An empty GetJobsResponse is a zero-length message: the frame is only the 5-byte header.
        var jobs = await _client.GetJobsAsync(Ct);

        Assert.Empty(jobs);
        Assert.Equal(1, _server.CallCount("GetJobs"));
    }

    [Fact]
    public async Task Calls_speak_gRPC_over_HTTP2_with_te_trailers_and_a_grpc_timeout()
    {
        await _client.GetJobsAsync(Ct, deadline: TimeSpan.FromSeconds(7));

        var call = Assert.Single(_server.Calls);
        Assert.Equal("GetJobs", call.Method);
        Assert.Equal("HTTP/2", call.Protocol);
        Assert.Equal("application/grpc", call.ContentType);
        Assert.Equal("trailers", call.Te);
        Assert.Equal("7000m", call.GrpcTimeout);
    }

    [Fact]
    public async Task GetState_returns_the_current_state()
    {
        var id = _server.AddJob("wordcount-ab12cd34", BeamJobState.Starting);
        Assert.Equal(BeamJobState.Starting, await _client.GetStateAsync(id, Ct));

        _server.SetJobState(id, BeamJobState.Failed);
        Assert.Equal(BeamJobState.Failed, await _client.GetStateAsync(id, Ct));
    }

    [Fact]
    public async Task GetState_of_an_unknown_job_is_NOT_FOUND_with_the_servers_message()
    {
        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => _client.GetStateAsync("nope_1", Ct));

        Assert.Equal(5, ex.StatusCode);
        Assert.Equal("NOT_FOUND", ex.StatusName);
        Assert.Equal("Job nope_1 not found", ex.StatusMessage);
        Assert.Equal("JobService/GetState", ex.Method);
    }

    [Fact]
    public async Task Cancel_moves_a_running_job_to_cancelled_and_is_recorded()
    {
        var id = _server.AddJob("wordcount-ab12cd34", BeamJobState.Running);

        var state = await _client.CancelAsync(id, Ct);

        Assert.Equal(BeamJobState.Cancelled, state);
        Assert.Equal([id], _server.CancelledJobIds);
        Assert.Equal(BeamJobState.Cancelled, await _client.GetStateAsync(id, Ct));
    }

    [Fact]
    public async Task Cancel_of_a_finished_job_reports_its_terminal_state_unchanged()
    {
        var id = _server.AddJob("wordcount-ab12cd34", BeamJobState.Done);

        Assert.Equal(BeamJobState.Done, await _client.CancelAsync(id, Ct));
    }

    [Fact]
    public async Task An_error_status_in_the_trailers_becomes_a_GrpcCallException()
    {
        _server.FailNext("GetJobs", FakeGrpcFailure.Status(14, "job service is shutting down"));

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => _client.GetJobsAsync(Ct));

        Assert.Equal(14, ex.StatusCode);
        Assert.Equal("UNAVAILABLE", ex.StatusName);
        Assert.Equal("job service is shutting down", ex.StatusMessage);
        Assert.Contains("UNAVAILABLE (14)", ex.Message, StringComparison.Ordinal);
        // The failure was one call only: the next succeeds.
        Assert.Empty(await _client.GetJobsAsync(Ct));
    }

    [Fact]
    public async Task A_trailers_only_error_is_read_from_the_headers_and_percent_decoded()
    {
        _server.FailNext("Cancel", FakeGrpcFailure.TrailersOnly(9, "job is 100% done — cannot cancel"));

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => _client.CancelAsync("any_1", Ct));

        Assert.Equal(9, ex.StatusCode);
        Assert.Equal("FAILED_PRECONDITION", ex.StatusName);
        Assert.Equal("job is 100% done — cannot cancel", ex.StatusMessage);
        Assert.Empty(_server.CancelledJobIds);
    }

    [Fact]
    public async Task A_truncated_frame_is_INTERNAL_even_with_status_OK()
    {
        _server.AddJob("wordcount-ab12cd34", BeamJobState.Running);
        _server.FailNext("GetJobs", FakeGrpcFailure.TruncatedFrame());

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => _client.GetJobsAsync(Ct));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("truncated frame", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_slower_than_the_deadline_gives_DEADLINE_EXCEEDED()
    {
        _server.FailNext("GetJobs", FakeGrpcFailure.Delay(TimeSpan.FromSeconds(30)));

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => _client.GetJobsAsync(Ct, TimeSpan.FromMilliseconds(300)));

        Assert.Equal(4, ex.StatusCode);
        Assert.Equal("DEADLINE_EXCEEDED", ex.StatusName);
        Assert.Contains("300ms", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_DefaultDeadline_applies_when_a_call_passes_none()
    {
        var client = new BeamJobServiceClient(_http) { DefaultDeadline = TimeSpan.FromMilliseconds(250) };
        _server.FailNext("GetState", FakeGrpcFailure.Delay(TimeSpan.FromSeconds(30)));

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => client.GetStateAsync("slow_1", Ct));

        Assert.Equal(4, ex.StatusCode);
        Assert.Equal("250m", _server.Calls.Single().GrpcTimeout);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_an_OperationCanceledException()
    {
        _server.FailNext("GetJobs", FakeGrpcFailure.Delay(TimeSpan.FromSeconds(30)));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetJobsAsync(cts.Token, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_server_that_is_gone_gives_UNAVAILABLE()
    {
        var address = _server.HostAndPort;
        await _server.DisposeAsync();
        using var http = BeamJobServiceClient.CreateHttpClient(address);

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => new BeamJobServiceClient(http).GetJobsAsync(Ct));

        Assert.Equal(14, ex.StatusCode);
        Assert.Contains(address, ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_job_id_is_rejected_before_any_call()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.GetStateAsync(" ", Ct));

        Assert.Contains("job id", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.CallCount("GetState"));
    }

    [Theory]
    [InlineData("localhost:8099", "http://localhost:8099/")]
    [InlineData("127.0.0.1:8099", "http://127.0.0.1:8099/")]
    [InlineData("http://beam-jobserver:8099", "http://beam-jobserver:8099/")]
    [InlineData("[::1]:8099", "http://[::1]:8099/")]
    public void CreateHttpClient_accepts_host_and_port(string address, string expected)
    {
        using var http = BeamJobServiceClient.CreateHttpClient(address);

        Assert.Equal(new Uri(expected), http.BaseAddress);
        Assert.Equal(new Version(2, 0), http.DefaultRequestVersion);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, http.DefaultVersionPolicy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData("ftp://localhost:8099")]
    [InlineData("localhost:8099/jobs")]
    [InlineData("localhost:99999")]
    public void CreateHttpClient_rejects_values_that_are_not_host_and_port(string address)
    {
        var ex = Assert.Throws<ArgumentException>(() => BeamJobServiceClient.CreateHttpClient(address));

        Assert.Contains("host:port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Terminal_states_are_exactly_done_failed_cancelled_updated_drained()
    {
        var terminal = Enum.GetValues<BeamJobState>().Where(BeamJobStates.IsTerminal).ToHashSet();

        Assert.Equal(
            new HashSet<BeamJobState> { BeamJobState.Done, BeamJobState.Failed, BeamJobState.Cancelled, BeamJobState.Updated, BeamJobState.Drained },
            terminal);
    }
}
