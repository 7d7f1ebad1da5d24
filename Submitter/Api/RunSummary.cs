using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;

namespace FlinkBeam.Submitter.Api;

/// <summary>The final run record as <c>run --json</c> prints it: one JSON object on stdout.</summary>
public sealed record RunSummary(
    string Id,
    string Pipeline,
    string JobName,
    RunState State,
    string? FlinkJobId,
    string? FlinkState,
    int Attempts,
    int? ClientExitCode,
    string? Error)
{
    public static RunSummary From(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.Pipeline, run.JobName, run.State, run.FlinkJobId, run.FlinkState, run.Attempts, run.ClientExitCode, run.Error);
    }
}
