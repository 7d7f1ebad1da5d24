using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;

namespace FlinkBeam.Submitter.Api;

/// <summary>The answer of <c>POST /runs/cancel-active</c>: the runs it cancelled.</summary>
public sealed record CancelActiveResult(IReadOnlyList<RunRecord> Cancelled);
