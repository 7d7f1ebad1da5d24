using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Runs;

public sealed class RunNotFoundException(string runId)
    : Exception($"No run has the id '{runId}'.")
{
    public string RunId { get; } = runId;
}

public sealed class RunNotActiveException(string runId, RunState state)
    : Exception($"Run '{runId}' is already {state}; only an active run can be cancelled.")
{
    public string RunId { get; } = runId;
    public RunState State { get; } = state;
}

public sealed class RunOwnedElsewhereException(string runId, string? owner)
    : Exception($"Run '{runId}' is supervised by another Submitter (instance {owner ?? "unknown"}); only that Submitter can follow or cancel it.")
{
    public string RunId { get; } = runId;
    public string? Owner { get; } = owner;
}

/// <summary>A run request that cannot become a run (bad arguments); nothing was stored.</summary>
public sealed class RunRequestException(string message) : ArgumentException(message);
