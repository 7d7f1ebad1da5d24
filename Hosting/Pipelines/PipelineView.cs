namespace FlinkBeam.Hosting;

/// <summary>
/// What the dashboard knows of one catalog pipeline from the Submitter's run events: nothing yet (before the Submitter's
/// first answer), then the number of runs, how many failed, the newest run and the latest metrics of its Flink job.
/// </summary>
/// <param name="Pipeline">The catalog name.</param>
/// <param name="Known">Whether the Submitter has reported on the pipeline (or said it has nothing to report).</param>
/// <param name="Runs">Runs of the pipeline in the history.</param>
/// <param name="Failed">Those that ended Failed or TimedOut.</param>
/// <param name="Latest">The newest run, or null before the first.</param>
/// <param name="Metrics">The latest figures of <paramref name="Latest"/>'s Flink job, or null.</param>
internal sealed record PipelineView(string Pipeline, bool Known, long Runs, long Failed, RunView? Latest, MetricsEvent? Metrics)
{
    /// <summary>Before the Submitter has said anything.</summary>
    public static PipelineView Unknown(string pipeline) => new(pipeline, false, 0, 0, null, null);

    /// <summary>After a <c>pipeline</c> event; the metrics stay only while the newest run is the same.</summary>
    public PipelineView With(PipelineEvent state) =>
        new(Pipeline, true, state.Runs, state.Failed, state.Latest, state.Latest?.Id == Latest?.Id ? Metrics : null);

    /// <summary>After a <c>metrics</c> event: kept when it is about the newest run, otherwise ignored.</summary>
    public PipelineView With(MetricsEvent metrics) =>
        Latest is { } run && metrics.RunId == run.Id ? this with { Metrics = metrics } : this;

    /// <summary>Once the Submitter has sent all it knows (<c>synced</c>): a pipeline it said nothing about has no runs.</summary>
    public PipelineView Synced() => Known ? this : this with { Known = true };

    /// <summary>
    /// The line the pipeline's console log gets when its newest run changes state, e.g. <c>Run 1a2b3c4d: Succeeded after
    /// 3.2 s</c>; null when nothing changed, and for what was already so when the dashboard first heard of it.
    /// </summary>
    public static string? Transition(PipelineView before, PipelineView after)
    {
        if (!before.Known || after.Latest is not { } run || (before.Latest?.Id == run.Id && before.Latest.State == run.State))
        {
            return null;
        }

        var line = $"Run {run.Id}: {run.State}";
        if (run.FinishedAt is { } finished)
        {
            line += $" after {PipelineText.Duration(finished - run.CreatedAt)}";
        }

        return run.Error is { Length: > 0 } error ? $"{line}: {error}" : line;
    }
}
