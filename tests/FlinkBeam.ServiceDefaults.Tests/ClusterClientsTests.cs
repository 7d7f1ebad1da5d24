using System.Diagnostics;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace FlinkBeam.ServiceDefaults.Tests;

/// <summary>
/// The Cluster library's Flink REST and Job API registrations in a host with the service defaults. With the defaults'
/// instrumentation, a call made under a span is exported as that span's child: a run's trace shows the calls it made.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ClusterClientsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Under_service_discovery_both_clients_are_addressed_by_resource_and_endpoint_name()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);
        await using var jobServer = await FakeBeamJobServer.StartAsync(Ct);
        flink.TaskManagers = 2;
        jobServer.AddJob("wordcount-1", BeamJobState.Running);
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?>
        {
            [$"services:{ResourceNames.JobManager}:{EndpointNames.FlinkRest}:0"] = flink.RestUrl.ToString(),
            [$"services:{ResourceNames.JobServer}:{EndpointNames.JobService}:0"] = jobServer.Url.ToString(),
            // Another endpoint of the same resource, which the job client must not pick.
            [$"services:{ResourceNames.JobServer}:{EndpointNames.ArtifactStaging}:0"] = $"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}",
        });
        builder.AddServiceDefaults();
        builder.Services.AddFlinkRestClient(_ => ServiceAddresses.FlinkRest);
        builder.Services.AddBeamJobServiceClient(_ => ServiceAddresses.JobService);
        using var app = builder.Build();

        var overview = await app.Services.GetRequiredService<FlinkRestClient>().GetOverviewAsync(Ct);
        var jobs = await app.Services.GetRequiredService<BeamJobServiceClient>().GetJobsAsync(Ct);

        Assert.Equal(2, overview.TaskManagers);
        Assert.Equal("wordcount-1", Assert.Single(jobs).JobName);
    }

    [Fact]
    public async Task An_explicit_address_goes_through_the_same_registration_unchanged()
    {
        await using var flink = await FakeFlinkCluster.StartAsync(Ct);
        await using var jobServer = await FakeBeamJobServer.StartAsync(Ct);
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddFlinkRestClient(_ => flink.RestUrl);
        builder.Services.AddBeamJobServiceClient(_ => new Uri($"http://{jobServer.HostAndPort}"));
        using var app = builder.Build();

        await app.Services.GetRequiredService<FlinkRestClient>().GetOverviewAsync(Ct);
        await app.Services.GetRequiredService<BeamJobServiceClient>().GetJobsAsync(Ct);

        Assert.Equal(1, flink.RequestCount("/overview"));
        Assert.Equal(1, jobServer.CallCount("GetJobs"));
    }

    [Fact]
    public void The_Flink_client_keeps_one_pipeline_and_the_Job_API_client_none_of_the_defaults()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        var flink = builder.Services.AddFlinkRestClient(_ => ServiceAddresses.FlinkRest);
        var jobService = builder.Services.AddBeamJobServiceClient(_ => ServiceAddresses.JobService);
        using var app = builder.Build();

        var flinkChain = HandlerChain.Of(app.Services, flink.Name);
        var jobChain = HandlerChain.Of(app.Services, jobService.Name);

        Assert.Single(flinkChain, name => name == "ResilienceHandler");
        Assert.Contains("ResolvingHttpDelegatingHandler", flinkChain);
        Assert.DoesNotContain("ResilienceHandler", jobChain);
        Assert.Contains("ResolvingHttpDelegatingHandler", jobChain);
    }

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
