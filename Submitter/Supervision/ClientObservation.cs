namespace FlinkBeam.Submitter.Supervision;

/// <summary>What is known of a run's client process at one moment.</summary>
public enum ClientStatus
{
    /// <summary>This Submitter's client, still running.</summary>
    Running,

    /// <summary>This Submitter's client has exited (or was ended).</summary>
    Exited,

    /// <summary>A client started before the Submitter restarted is still running; it cannot be read, only ended.</summary>
    OrphanRunning,

    /// <summary>A client started before the Submitter restarted has ended.</summary>
    OrphanGone,

    /// <summary>No client is known: the run was found after a restart without a recorded process.</summary>
    Unknown,
}

/// <summary>The client side of an observation.</summary>
/// <param name="Status">Whether it runs, and whether it is this Submitter's own.</param>
/// <param name="ProcessId">Its process id, when known.</param>
/// <param name="ExitCode">Its exit code, once <see cref="ClientStatus.Exited"/> (null when it could not be read).</param>
/// <param name="GoneAt">When it was first seen gone.</param>
/// <param name="TransientSignature">The known transient failure its output shows, if any.</param>
/// <param name="LastLine">The last non-blank line it printed, if any.</param>
/// <param name="EndedBySubmitter">True when this Submitter ended it.</param>
public sealed record ClientObservation(
    ClientStatus Status,
    int? ProcessId = null,
    int? ExitCode = null,
    DateTimeOffset? GoneAt = null,
    string? TransientSignature = null,
    string? LastLine = null,
    bool EndedBySubmitter = false)
{
    public static ClientObservation Unknown { get; } = new(ClientStatus.Unknown);

    /// <summary>True once there is no process to wait for or to end.</summary>
    public bool IsGone => Status is ClientStatus.Exited or ClientStatus.OrphanGone or ClientStatus.Unknown;

    public bool IsOrphan => Status is ClientStatus.OrphanRunning or ClientStatus.OrphanGone;
}
