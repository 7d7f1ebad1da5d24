namespace FlinkBeam.Cluster.Beam;

/// <summary>A Beam job's state as the Job API reports it (JobState.Enum; same numbers as on the wire).</summary>
public enum BeamJobState
{
    /// <summary>The runner reported a state the client cannot interpret.</summary>
    Unspecified = 0,
    /// <summary>The job has not started yet.</summary>
    Stopped = 1,
    /// <summary>The job is running.</summary>
    Running = 2,
    /// <summary>The job completed successfully (terminal).</summary>
    Done = 3,
    /// <summary>The job failed (terminal).</summary>
    Failed = 4,
    /// <summary>The job was cancelled (terminal).</summary>
    Cancelled = 5,
    /// <summary>The job was replaced by an update (terminal).</summary>
    Updated = 6,
    /// <summary>The job is draining its input.</summary>
    Draining = 7,
    /// <summary>The job finished draining (terminal).</summary>
    Drained = 8,
    /// <summary>The job is starting.</summary>
    Starting = 9,
    /// <summary>The job is being cancelled.</summary>
    Cancelling = 10,
    /// <summary>The job is being updated.</summary>
    Updating = 11,
}
