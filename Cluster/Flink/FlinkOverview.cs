namespace FlinkBeam.Cluster.Flink;

/// <summary>GET /overview: the cluster's TaskManagers, slots and job counts.</summary>
/// <param name="TaskManagers">"taskmanagers": registered TaskManagers.</param>
/// <param name="SlotsTotal">"slots-total".</param>
/// <param name="SlotsAvailable">"slots-available": free slots.</param>
/// <param name="JobsRunning">"jobs-running": jobs not yet in a terminal state.</param>
/// <param name="JobsFinished">"jobs-finished".</param>
/// <param name="JobsCancelled">"jobs-cancelled".</param>
/// <param name="JobsFailed">"jobs-failed".</param>
/// <param name="FlinkVersion">"flink-version", e.g. "1.20.0".</param>
/// <param name="FlinkCommit">"flink-commit".</param>
public sealed record FlinkOverview(
    int TaskManagers, int SlotsTotal, int SlotsAvailable, int JobsRunning, int JobsFinished, int JobsCancelled,
    int JobsFailed, string? FlinkVersion, string? FlinkCommit);
