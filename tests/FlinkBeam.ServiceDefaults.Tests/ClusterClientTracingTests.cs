using System.Diagnostics;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace FlinkBeam.ServiceDefaults.Tests;

/// <summary>
/// With the service defaults' instrumentation, a Flink REST call and a Job API call made under a span are exported as
/// that span's children: a run's trace shows the calls it made.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ClusterClientTracingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flink_REST_and_Job_API_calls_are_exported_as_children_of_the_span_they_run_under()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);
        await using var jobServer = await FakeBeamJobServer.StartAsync(Ct);
        var exported = new List<Activity>();
        var sourceName = $"Test.Run.{Guid.NewGuid():N}";
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(sourceName).AddInMemoryExporter(exported));
        builder.Services.AddFlinkRestClient(_ => flink.RestUrl);
        builder.Services.AddBeamJobServiceClient(_ => jobServer.Url);
        var (app, _) = await TestApp.StartAsync(builder);
        await using (app)
        {
            using var source = new ActivitySource(sourceName);
            using (var run = source.StartActivity("run"))
            {
                Assert.NotNull(run);
                await app.Services.GetRequiredService<FlinkRestClient>().GetJobsOverviewAsync(Ct);
                await app.Services.GetRequiredService<BeamJobServiceClient>().GetJobsAsync(Ct);
            }

            Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush());
        }

        var parent = Assert.Single(exported, span => span.Source.Name == sourceName);
        var children = exported.Where(span => span.TraceId == parent.TraceId && span.ParentSpanId == parent.SpanId).ToArray();

        var rest = Assert.Single(children, span => span.GetTagItem("url.full") is string url && url.EndsWith("/jobs/overview", StringComparison.Ordinal));
        Assert.Equal(ActivityKind.Client, rest.Kind);
        Assert.Equal("GET", rest.GetTagItem("http.request.method"));

        // The gRPC instrumentation's span (the newer RPC conventions: the method named with its service).
        var grpc = Assert.Single(children, span => Equals(span.GetTagItem("rpc.system.name"), "grpc"));
        Assert.Equal(ActivityKind.Client, grpc.Kind);
        Assert.Equal($"{BeamJobServiceClient.ServiceName}/GetJobs", grpc.GetTagItem("rpc.method"));
        Assert.Equal("OK", grpc.GetTagItem("rpc.response.status_code"));
    }
}
