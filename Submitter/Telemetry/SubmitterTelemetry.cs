using System.Diagnostics;
using System.Diagnostics.Metrics;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Telemetry;

/// <summary>
/// The Submitter's traces and metrics, both named <see cref="Name"/> so one <c>AddSource</c>/<c>AddMeter</c> exports them.
/// Each run is one span with child spans for the gate and each launch attempt and events for submitted, running and terminal.
/// </summary>
public sealed class SubmitterTelemetry : IDisposable
{
    public const string Name = "FlinkBeam.Submitter";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the meter through <paramref name="meterFactory"/> when given (DI), or on its own.</summary>
    public SubmitterTelemetry(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _started = _meter.CreateCounter<long>("submitter.runs.started", "{run}", "Runs launched (first attempt).");
        _succeeded = _meter.CreateCounter<long>("submitter.runs.succeeded", "{run}", "Runs that ended Succeeded.");
        _failed = _meter.CreateCounter<long>("submitter.runs.failed", "{run}", "Runs that ended Failed or TimedOut (tag submitter.run.state).");
        _cancelled = _meter.CreateCounter<long>("submitter.runs.cancelled", "{run}", "Runs that ended Cancelled.");
        _retried = _meter.CreateCounter<long>("submitter.runs.retried", "{attempt}", "Client attempts retried after a transient failure.");
        _duration = _meter.CreateHistogram<double>("submitter.run.duration", "s", "From the run's creation to its terminal state.");
    }

    /// <summary>The Submitter's meter, for instruments defined beside what they measure (the Flink jobs' figures).</summary>
    internal Meter Meter => _meter;

    /// <summary>The process-wide source of run spans.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>
    /// Starts the span of a run as a root (a run outlives the request that started it), linked to the caller's span. It
    /// becomes the current span of the calling flow, so the calls the run's supervision makes are its children.
    /// </summary>
    public Activity? StartRun(RunRecord run, ActivityContext caller)
    {
        Activity.Current = null;
        var links = caller == default ? null : new[] { new ActivityLink(caller) };
        var activity = ActivitySource.StartActivity($"run {run.Pipeline}", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("submitter.run.id", run.Id);
        activity?.SetTag("submitter.pipeline", run.Pipeline);
        activity?.SetTag("submitter.job_name", run.JobName);
        return activity;
    }

    /// <summary>A child span of the run (gate, launch) that ends when disposed.</summary>
    public static Activity? StartStep(Activity? run, string name) =>
        run is null ? null : ActivitySource.StartActivity(name, ActivityKind.Internal, run.Context);

    public static void AddEvent(Activity? activity, string name, params (string Key, object? Value)[] tags)
    {
        if (activity is null)
        {
            return;
        }

        var tagList = new ActivityTagsCollection();
        foreach (var (key, value) in tags)
        {
            tagList[key] = value;
        }

        activity.AddEvent(new ActivityEvent(name, tags: tagList));
    }

    public void RunStarted(string pipeline) => _started.Add(1, Pipeline(pipeline));

    public void RunRetried(string pipeline) => _retried.Add(1, Pipeline(pipeline));

    /// <summary>Counts the terminal state and records the run's duration.</summary>
    public void RunEnded(RunRecord run)
    {
        var pipeline = Pipeline(run.Pipeline);
        var state = new KeyValuePair<string, object?>("submitter.run.state", run.State.ToString());
        switch (run.State)
        {
            case RunState.Succeeded:
                _succeeded.Add(1, pipeline);
                break;
            case RunState.Cancelled:
                _cancelled.Add(1, pipeline);
                break;
            case RunState.Failed or RunState.TimedOut:
                _failed.Add(1, pipeline, state);
                break;
        }

        var end = run.FinishedAt ?? run.UpdatedAt;
        _duration.Record(Math.Max(0, (end - run.CreatedAt).TotalSeconds), pipeline, state);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static KeyValuePair<string, object?> Pipeline(string pipeline) => new("submitter.pipeline", pipeline);
}
