namespace FlinkBeam.Cluster.Flink;

/// <summary>Flink's job states (org.apache.flink.api.common.JobStatus) as its REST API spells them.</summary>
public static class FlinkJobStates
{
    /// <summary>The job was submitted and is being initialised.</summary>
    public const string Initializing = "INITIALIZING";
    /// <summary>The job was created; no task has started yet.</summary>
    public const string Created = "CREATED";
    /// <summary>Some tasks are scheduled or running.</summary>
    public const string Running = "RUNNING";
    /// <summary>The job failed and waits for its tasks to stop.</summary>
    public const string Failing = "FAILING";
    /// <summary>The job failed without recovery (terminal).</summary>
    public const string Failed = "FAILED";
    /// <summary>The job is being cancelled.</summary>
    public const string Cancelling = "CANCELLING";
    /// <summary>The job was cancelled (terminal).</summary>
    public const string Canceled = "CANCELED";
    /// <summary>All tasks finished successfully (terminal).</summary>
    public const string Finished = "FINISHED";
    /// <summary>The job is being restarted.</summary>
    public const string Restarting = "RESTARTING";
    /// <summary>The job was suspended, e.g. by a JobManager leadership change (terminal for this JobManager).</summary>
    public const string Suspended = "SUSPENDED";
    /// <summary>The job is being reconciled after a JobManager failover.</summary>
    public const string Reconciling = "RECONCILING";

    /// <summary>Every state, in Flink's declaration order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Initializing, Created, Running, Failing, Failed, Cancelling, Canceled, Finished, Restarting, Suspended, Reconciling];

    /// <summary>True for FINISHED, FAILED, CANCELED and SUSPENDED: states in which the job runs no more.</summary>
    public static bool IsTerminal(string state) => state is Finished or Failed or Canceled or Suspended;

    /// <summary>True when <paramref name="state"/> is one of <see cref="All"/> (exact, upper-case spelling).</summary>
    public static bool IsKnown(string? state) => state is not null && All.Contains(state, StringComparer.Ordinal);
}
