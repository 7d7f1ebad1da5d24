namespace FlinkBeam.Cluster.Flink;

/// <summary>One entry of GET /jobs/overview.</summary>
/// <param name="Id">"jid".</param>
/// <param name="Name">"name": Beam's Flink runner uses the pipeline's --job_name.</param>
/// <param name="State">"state", one of <see cref="FlinkJobStates"/>.</param>
/// <param name="StartTime">"start-time", epoch milliseconds.</param>
/// <param name="EndTime">"end-time", epoch milliseconds, -1 while not terminal.</param>
/// <param name="Duration">"duration", milliseconds.</param>
/// <param name="LastModification">"last-modification", epoch milliseconds of the last state change.</param>
public sealed record FlinkJobSummary(string Id, string Name, string State, long StartTime, long EndTime, long Duration, long LastModification);
