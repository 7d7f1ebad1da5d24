namespace FlinkBeam.Cluster.Beam;

/// <summary>Facts about <see cref="BeamJobState"/> values.</summary>
public static class BeamJobStates
{
    /// <summary>True for the states a job never leaves: Done, Failed, Cancelled, Updated, Drained.</summary>
    public static bool IsTerminal(BeamJobState state) => state is
        BeamJobState.Done or BeamJobState.Failed or BeamJobState.Cancelled or BeamJobState.Updated or BeamJobState.Drained;

    /// <summary>The Job API's wire name of a state, e.g. "DONE".</summary>
    public static string WireName(BeamJobState state) => state switch
    {
        BeamJobState.Unspecified => "UNSPECIFIED",
        BeamJobState.Stopped => "STOPPED",
        BeamJobState.Running => "RUNNING",
        BeamJobState.Done => "DONE",
        BeamJobState.Failed => "FAILED",
        BeamJobState.Cancelled => "CANCELLED",
        BeamJobState.Updated => "UPDATED",
        BeamJobState.Draining => "DRAINING",
        BeamJobState.Drained => "DRAINED",
        BeamJobState.Starting => "STARTING",
        BeamJobState.Cancelling => "CANCELLING",
        BeamJobState.Updating => "UPDATING",
        _ => $"STATE_{(int)state}",
    };

    /// <summary>Maps a wire value to the enum; numbers this client does not know become <see cref="BeamJobState.Unspecified"/>.</summary>
    internal static BeamJobState FromWire(int value) =>
        value is >= 0 and <= (int)BeamJobState.Updating ? (BeamJobState)value : BeamJobState.Unspecified;
}
