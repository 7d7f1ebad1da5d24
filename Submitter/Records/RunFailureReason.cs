namespace FlinkBeam.Submitter.Records;

/// <summary>Why a run ended without success; lets callers (the CLI's exit codes) tell the cases apart without parsing messages.</summary>
public enum RunFailureReason
{
    /// <summary>The readiness gate did not hold within the ready timeout.</summary>
    ClusterNotReady,

    /// <summary>The Python interpreter could not be started.</summary>
    ClientStartFailed,

    /// <summary>The client exited before any Flink job with the run's name appeared.</summary>
    ClientFailed,

    /// <summary>The Flink job reached FAILED or SUSPENDED.</summary>
    JobFailed,

    /// <summary>The Flink job was cancelled by someone other than this Submitter.</summary>
    JobCancelledExternally,

    /// <summary>No Flink job appeared within the job timeout while the client kept running.</summary>
    JobTimeout,

    /// <summary>Flink stopped answering while the run was followed.</summary>
    FlinkUnreachable,

    /// <summary>The Submitter restarted and could not find the run's Flink job.</summary>
    SubmitterRestarted,

    /// <summary>The Submitter itself failed while supervising the run.</summary>
    SupervisionError,
}
