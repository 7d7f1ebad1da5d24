namespace FlinkBeam.Submitter.Records;

/// <summary>What the history says about one pipeline: how many runs it had, how many of them failed, and its newest run.</summary>
/// <param name="Pipeline">The catalog name.</param>
/// <param name="Runs">Every run of the pipeline in the history.</param>
/// <param name="Failed">Those that ended Failed or TimedOut.</param>
/// <param name="Latest">The newest run (by creation time), or null before the first.</param>
public sealed record PipelineSummary(string Pipeline, long Runs, long Failed, RunRecord? Latest);
