using System.Buffers.Binary;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Beam.Protocol;
using FlinkBeam.Testing;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The gRPC plumbing against hand-written HTTP/2 answers, for the cases a well-behaved server never sends.</summary>
public sealed class GrpcUnaryCallTests
{
    private const string Service = BeamJobServiceClient.ServiceName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<GrpcCallException> CallFailsAsync(RequestDelegate answer, HttpProtocols protocols = HttpProtocols.Http2)
    {
        await using var server = await LoopbackHttpServer.StartAsync(protocols, answer, Ct);
        using var http = BeamJobServiceClient.CreateHttpClient(server.HostAndPort);
        return await Assert.ThrowsAsync<GrpcCallException>(() => GrpcUnaryCall.InvokeAsync(
            http, Service, "GetState", new GetJobStateRequest { JobId = "j" }, JobStateEvent.Parser, TimeSpan.FromSeconds(10), Ct));
    }

    private static async Task WriteGrpcAsync(HttpContext context, byte[] body, string? status = "0")
    {
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        if (status is not null)
        {
            context.Response.AppendTrailer("grpc-status", status);
        }
    }

    private static byte[] Frame(IMessage message, byte flag = 0)
    {
        var bytes = message.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame, 5);
        return frame;
    }

    private static readonly JobStateEvent Running = new() { State = JobState.Types.Enum.Running };

    [Fact]
    public async Task A_well_formed_answer_is_decoded()
    {
        await using var server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http2, c => WriteGrpcAsync(c, Frame(Running)), Ct);
        using var http = BeamJobServiceClient.CreateHttpClient(server.HostAndPort);

        var answer = await GrpcUnaryCall.InvokeAsync(http, Service, "GetState", new GetJobStateRequest { JobId = "j" }, JobStateEvent.Parser, null, Ct);

        Assert.Equal(JobState.Types.Enum.Running, answer.State);
    }

    [Fact]
    public async Task The_request_is_one_uncompressed_length_prefixed_frame_on_the_method_path()
    {
        string? path = null;
        byte[] received = [];
        await using var server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http2, async c =>
        {
            path = c.Request.Path;
            using var buffer = new MemoryStream();
            await c.Request.Body.CopyToAsync(buffer, c.RequestAborted);
            received = buffer.ToArray();
            await WriteGrpcAsync(c, Frame(Running));
        }, Ct);
        using var http = BeamJobServiceClient.CreateHttpClient(server.HostAndPort);

        await GrpcUnaryCall.InvokeAsync(http, Service, "GetState", new GetJobStateRequest { JobId = "wordcount_1" }, JobStateEvent.Parser, null, Ct);

        Assert.Equal("/org.apache.beam.model.job_management.v1.JobService/GetState", path);
        Assert.Equal(0, received[0]);
        Assert.Equal((uint)(received.Length - 5), BinaryPrimitives.ReadUInt32BigEndian(received.AsSpan(1)));
        Assert.Equal("wordcount_1", GetJobStateRequest.Parser.ParseFrom(received.AsSpan(5)).JobId);
    }

    [Fact]
    public async Task A_missing_grpc_status_is_INTERNAL()
    {
        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, Frame(Running), status: null));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("without a grpc-status", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unparsable_grpc_status_is_UNKNOWN_and_quoted()
    {
        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, Frame(Running), status: "fine"));

        Assert.Equal(2, ex.StatusCode);
        Assert.Contains("'fine'", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compressed_message_that_was_never_negotiated_is_INTERNAL()
    {
        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, Frame(Running, flag: 1)));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("compressed", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_messages_for_a_unary_call_are_INTERNAL()
    {
        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, [.. Frame(Running), .. Frame(Running)]));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("more than one", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_frame_header_is_INTERNAL()
    {
        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, [0, 0, 0]));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("3 of the 5 header bytes", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_announced_message_over_the_limit_is_RESOURCE_EXHAUSTED()
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), GrpcUnaryCall.MaxMessageBytes + 1);

        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, header));

        Assert.Equal(8, ex.StatusCode);
    }

    [Fact]
    public async Task Status_OK_in_a_trailers_only_answer_is_INTERNAL_because_a_message_is_missing()
    {
        var ex = await CallFailsAsync(c =>
        {
            c.Response.ContentType = "application/grpc";
            c.Response.Headers["grpc-status"] = "0";
            return Task.CompletedTask;
        });

        Assert.Equal(13, ex.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_protobuf_is_INTERNAL()
    {
        byte[] garbage = [0, 0, 0, 0, 3, 0xff, 0xff, 0xff];

        var ex = await CallFailsAsync(c => WriteGrpcAsync(c, garbage));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("cannot be decoded", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_grpc_content_type_is_UNKNOWN()
    {
        var ex = await CallFailsAsync(async c =>
        {
            c.Response.ContentType = "text/html";
            await c.Response.WriteAsync("<html>proxy</html>", c.RequestAborted);
        });

        Assert.Equal(2, ex.StatusCode);
        Assert.Contains("text/html", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, 14)]
    [InlineData(404, 12)]
    [InlineData(401, 16)]
    [InlineData(500, 2)]
    public async Task An_HTTP_error_without_grpc_status_follows_grpcs_mapping(int httpStatus, int grpcStatus)
    {
        await using var server = await FakeBeamJobServer.StartAsync(Ct);
        server.FailNext("GetJobs", FakeGrpcFailure.HttpStatus(httpStatus));
        using var http = BeamJobServiceClient.CreateHttpClient(server.HostAndPort);

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => new BeamJobServiceClient(http).GetJobsAsync(Ct));

        Assert.Equal(grpcStatus, ex.StatusCode);
        Assert.Contains($"HTTP {httpStatus}", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_stream_is_INTERNAL_with_the_HTTP2_error_code()
    {
        await using var server = await FakeBeamJobServer.StartAsync(Ct);
        server.FailNext("GetJobs", FakeGrpcFailure.ResetStream());
        using var http = BeamJobServiceClient.CreateHttpClient(server.HostAndPort);

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => new BeamJobServiceClient(http).GetJobsAsync(Ct));

        Assert.Equal(13, ex.StatusCode);
        Assert.Contains("ended the HTTP/2 stream with error code", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unimplemented_method_comes_back_as_UNIMPLEMENTED_from_the_server()
    {
        await using var server = await FakeBeamJobServer.StartAsync(Ct);
        using var http = BeamJobServiceClient.CreateHttpClient(server.HostAndPort);

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => GrpcUnaryCall.InvokeAsync(
            http, Service, "GetPipeline", new GetJobStateRequest { JobId = "j" }, JobStateEvent.Parser, null, Ct));

        Assert.Equal(12, ex.StatusCode);
        Assert.Equal("JobService/GetPipeline", ex.Method);
    }

    [Fact]
    public async Task An_HTTP1_only_server_is_UNAVAILABLE()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);
        using var http = BeamJobServiceClient.CreateHttpClient(flink.HostAndPort);

        var ex = await Assert.ThrowsAsync<GrpcCallException>(() => new BeamJobServiceClient(http).GetJobsAsync(Ct));

        Assert.Equal(14, ex.StatusCode);
        Assert.Contains("error code 0xd", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(250, "250m")]
    [InlineData(0.4, "1m")]
    [InlineData(99_999_999, "99999999m")]
    [InlineData(100_000_000, "100000S")]
    public void Timeouts_are_encoded_in_at_most_eight_digits_and_rounded_up(double milliseconds, string expected)
    {
        Assert.Equal(expected, GrpcUnaryCall.EncodeTimeout(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData("plain message", "plain message")]
    [InlineData("100%25 done", "100% done")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("bad %ZZ escape", "bad %ZZ escape")]
    public void Grpc_message_is_percent_decoded(string wire, string expected)
    {
        Assert.Equal(expected, GrpcUnaryCall.DecodeMessage(wire));
    }

    [Theory]
    [InlineData(14, "UNAVAILABLE")]
    [InlineData(4, "DEADLINE_EXCEEDED")]
    [InlineData(16, "UNAUTHENTICATED")]
    [InlineData(42, "STATUS_42")]
    public void Status_codes_have_their_canonical_names(int code, string name)
    {
        Assert.Equal(name, GrpcCallException.NameOf(code));
    }

    [Fact]
    public async Task A_non_positive_deadline_is_rejected()
    {
        using var http = BeamJobServiceClient.CreateHttpClient("127.0.0.1:1");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => GrpcUnaryCall.InvokeAsync(
            http, Service, "GetJobs", new GetJobsRequest(), GetJobsResponse.Parser, TimeSpan.Zero, Ct));
    }
}
