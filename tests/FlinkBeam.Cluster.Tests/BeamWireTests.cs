using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.Cluster.Tests;

/// <summary>
/// The generated code against bytes written by hand from Beam's beam_job_api.proto and beam_fn_api.proto (paths, field
/// numbers, wire types), in both directions: the product's clients against a raw HTTP/2 server, and the test job server
/// against a raw HTTP/2 request. A mistake in a proto file would be generated into client and fake alike; it cannot pass
/// these.
/// </summary>
public sealed class BeamWireTests
{
    private const string Service = "/org.apache.beam.model.job_management.v1.JobService/";
    private const string WorkerPoolService = "/org.apache.beam.model.fn_execution.v1.BeamFnExternalWorkerPool/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[], byte[]> ClientCalls => new()
    {
        // GetJobsRequest{} -> GetJobsResponse{job_info=1: JobInfo{job_id=1 "j1", job_name=2 "wc", state=4 DONE(3)}}
        { "GetJobs", [], Field(1, [.. Field(1, "j1"), .. Field(2, "wc"), .. Varint(4, 3)]) },
        // GetJobStateRequest{job_id=1 "abc"} -> JobStateEvent{state=1 RUNNING(2), timestamp=2 {seconds=1 1}}
        { "GetState", Field(1, "abc"), [.. Varint(1, 2), .. Field(2, Varint(1, 1))] },
        // CancelJobRequest{job_id=1 "abc"} -> CancelJobResponse{state=1 CANCELLING(10)}
        { "Cancel", Field(1, "abc"), Varint(1, 10) },
    };

    [Theory]
    [MemberData(nameof(ClientCalls))]
    public async Task The_client_sends_Beams_path_and_fields_and_reads_Beams_answer(string method, byte[] expectedRequest, byte[] response)
    {
        string? path = null, contentType = null;
        byte[]? body = null;
        await using var server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http2, async context =>
        {
            path = context.Request.Path;
            contentType = context.Request.ContentType;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(Frame(response), context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
        }, Ct);
        using var channel = GrpcChannel.ForAddress(server.Url);
        var client = new BeamJobServiceClient(channel.CreateCallInvoker());

        object answer = method switch
        {
            "GetJobs" => Assert.Single(await client.GetJobsAsync(Ct)),
            "GetState" => await client.GetStateAsync("abc", Ct),
            _ => await client.CancelAsync("abc", Ct),
        };

        Assert.Equal(Service + method, path);
        Assert.Equal("application/grpc", contentType);
        Assert.Equal(Frame(expectedRequest), body);
        Assert.Equal(
            method switch
            {
                "GetJobs" => new BeamJobInfo("j1", "wc", BeamJobState.Done),
                "GetState" => BeamJobState.Running,
                _ => (object)BeamJobState.Cancelling,
            },
            answer);
    }

    [Fact]
    public async Task The_worker_pool_client_sends_Beams_StopWorker_path_and_field_and_reads_the_pools_error()
    {
        string? path = null;
        byte[]? body = null;
        await using var server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http2, async context =>
        {
            path = context.Request.Path;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
            context.Response.ContentType = "application/grpc";
            // StopWorkerResponse{error=1 "no such worker"}
            await context.Response.Body.WriteAsync(Frame(Field(1, "no such worker")), context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
        }, Ct);
        using var channel = GrpcChannel.ForAddress(server.Url);

        var error = await new BeamWorkerPoolClient(channel.CreateCallInvoker()).StopWorkerAsync("w1", TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(WorkerPoolService + "StopWorker", path);
        // StopWorkerRequest{worker_id=1 "w1"}
        Assert.Equal(Frame(Field(1, "w1")), body);
        Assert.Equal("no such worker", error);
    }

    [Fact]
    public async Task The_test_job_server_answers_a_hand_built_GetJobs_with_Beams_fields()
    {
        await using var jobServer = await FakeBeamJobServer.StartAsync(Ct);
        jobServer.AddJob("j1", "wc", BeamJobState.Done);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(jobServer.Url, Service.TrimStart('/') + "GetJobs"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Frame([])),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
        // JobInfo{job_id=1, job_name=2, pipeline_options=3 Struct{fields=1 {key=1, value=2 Value{string_value=3}}}, state=4}
        byte[] options = Field(1, [.. Field(1, "beam:option:job_name:v1"), .. Field(2, Field(3, "wc"))]);
        byte[] jobInfo = [.. Field(1, "j1"), .. Field(2, "wc"), .. Field(3, options), .. Varint(4, 3)];
        Assert.Equal(Frame(Field(1, jobInfo)), body);
    }

    // A gRPC message on the wire: uncompressed flag, big-endian length, the protobuf bytes.
    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    // Protobuf field encodings (values here stay below 128, so every varint is one byte).
    private static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    private static byte[] Field(int number, byte[] bytes) => [(byte)((number << 3) | 2), (byte)bytes.Length, .. bytes];

    private static byte[] Varint(int number, byte value) => [(byte)(number << 3), value];
}
