using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Telemetry;

namespace FlinkBeam.Submitter.Tests;

public sealed class EngineTelemetryTests
{
    [Fact]
    public async Task A_run_is_one_span_with_gate_and_launch_children_and_lifecycle_events_and_is_counted()
    {
        var pipeline = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SubmitterTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SubmitterTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "submitter.pipeline" && Equals(tag.Value, pipeline))
                {
                    measurements.Enqueue((instrument.Name, value));
                }
            }
        }

        meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meters.Start();

        await using var h = await EngineHarness.StartAsync();
        h.WriteCatalog(h.Pipeline(pipeline, "succeed.py"));
        var manager = h.CreateManager();
        var run = await EngineHarness.RunToEndAsync(manager, pipeline);
        Assert.Equal(RunState.Succeeded, run.State);

        // The record turns terminal just before the run's span is stopped.
        await EngineHarness.WaitUntilAsync(() => activities.Any(a => a.GetTagItem("submitter.run.id") as string == run.Id), "the run's span is stopped");
        var span = Assert.Single(activities, a => a.GetTagItem("submitter.run.id") as string == run.Id);
        Assert.Equal($"run {pipeline}", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal("Succeeded", span.GetTagItem("submitter.run.state"));
        Assert.Equal(["submitted", "running", "terminal"], span.Events.Select(e => e.Name));
        var children = activities.Where(a => a.ParentSpanId == span.SpanId).Select(a => a.DisplayName).ToList();
        Assert.Contains("gate", children);
        Assert.Contains("launch", children);

        Assert.Contains(measurements, m => m.Instrument == "submitter.runs.started" && m.Value == 1);
        Assert.Contains(measurements, m => m.Instrument == "submitter.runs.succeeded" && m.Value == 1);
        Assert.Contains(measurements, m => m.Instrument == "submitter.run.duration" && m.Value > 0);
        Assert.DoesNotContain(measurements, m => m.Instrument == "submitter.runs.failed");
    }
}
