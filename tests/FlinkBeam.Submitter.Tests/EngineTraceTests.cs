using System.Diagnostics;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// A run's trace as an OpenTelemetry exporter receives it, with the HTTP client and gRPC client instrumentation the
/// Submitter's service defaults register: the run is the root, its gate, its launch and the Flink REST and Job API calls
/// it made are its children, its state changes are events; the polling shared by all runs is not traced.
/// </summary>
public sealed class EngineTraceTests
{
    [Fact]
    public async Task A_runs_trace_has_the_gate_the_launch_and_the_calls_it_made_as_children_and_its_states_as_events()
    {
        var spans = new List<Activity>();
        await using var h = await EngineHarness.StartAsync();
        h.WriteCatalog(h.Pipeline("fail", "fail.py"));
        var manager = h.CreateManager(configure: services => services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(SubmitterTelemetry.Name)
            .AddHttpClientInstrumentation()
            .AddGrpcClientInstrumentation()
            .AddInMemoryExporter(spans)));

        var run = await EngineHarness.RunToEndAsync(manager, "fail");
        Assert.Equal(RunState.Failed, run.State);
        // The Beam job id is looked up beside the run's supervision, so that call may end (and be exported) after the run.
        // The exporter also sees what other tests running at the same time do; only this run's trace and this harness's
        // fakes count.
        await EngineHarness.WaitUntilAsync(
            () => Snapshot(spans) is var exported
                && exported.FirstOrDefault(s => s.GetTagItem("submitter.run.id") as string == run.Id) is { } runSpan
                && exported.Any(s => s.ParentSpanId == runSpan.SpanId && s.DisplayName.EndsWith("JobService/GetJobs", StringComparison.Ordinal)),
            "the run's span and its Job API call are exported");

        var all = Snapshot(spans);
        var root = Assert.Single(all, s => s.GetTagItem("submitter.run.id") as string == run.Id);
        Assert.Equal("run fail", root.DisplayName);
        Assert.Equal(default, root.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, root.Status);
        Assert.Equal(["submitted", "running", "terminal"], root.Events.Select(e => e.Name));

        var children = all.Where(s => s.ParentSpanId == root.SpanId).ToList();
        Assert.All(children, c => Assert.Equal(root.TraceId, c.TraceId));
        Assert.Contains(children, c => c.DisplayName == "gate" && c.GetTagItem("submitter.gate.ready") is true);
        Assert.Contains(children, c => c.DisplayName == "launch" && c.GetTagItem("submitter.attempt") is 1);

        // The Job API call that learnt the Beam job's id, and the Flink REST call that read the failed job's root cause.
        var getJobs = Assert.Single(children, c => c.DisplayName.EndsWith("JobService/GetJobs", StringComparison.Ordinal));
        Assert.Equal(ActivityKind.Client, getJobs.Kind);
        var exceptions = Assert.Single(children, c => c.Kind == ActivityKind.Client && Url(c).EndsWith($"/jobs/{run.FlinkJobId}/exceptions", StringComparison.Ordinal));
        Assert.Equal("GET", exceptions.GetTagItem("http.request.method"));

        // Polling shared by all runs (Flink's job list, the gate's probes) is plumbing: no span at all.
        var flink = h.Flink.RestUrl.GetLeftPart(UriPartial.Authority);
        Assert.DoesNotContain(all, s => Url(s).StartsWith(flink, StringComparison.Ordinal)
            && (Url(s).EndsWith("/jobs/overview", StringComparison.Ordinal) || Url(s).EndsWith("/overview", StringComparison.Ordinal)));
    }

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }

    private static string Url(Activity span) => span.GetTagItem("url.full") as string ?? "";
}
