namespace FlinkBeam.Submitter.Runs;

/// <summary>A request to run a catalogued pipeline with optional extra arguments.</summary>
public sealed record RunRequest(string Pipeline, IReadOnlyList<string>? Args = null);
