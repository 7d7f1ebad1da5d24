namespace FlinkBeam.Submitter.Records;

/// <summary>The life of a run, from request to a terminal state.</summary>
public enum RunState
{
    Pending,
    WaitingForCluster,
    Launching,
    Submitted,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}

public static class RunStateExtensions
{
    public static bool IsTerminal(this RunState state) =>
        state is RunState.Succeeded or RunState.Failed or RunState.Cancelled or RunState.TimedOut;
}
