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
