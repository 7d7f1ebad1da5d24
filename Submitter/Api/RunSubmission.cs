namespace FlinkBeam.Submitter.Api;

/// <summary>The body of <c>POST /runs</c>: <c>{"pipeline":"wordcount","args":["--min-count","2"]}</c>.</summary>
public sealed record RunSubmission(string? Pipeline, IReadOnlyList<string>? Args = null);
