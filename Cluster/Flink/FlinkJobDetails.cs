namespace FlinkBeam.Cluster.Flink;

/// <summary>GET /jobs/{jid} (the fields the project reads).</summary>
/// <param name="Id">"jid".</param>
/// <param name="Name">"name".</param>
/// <param name="State">"state", one of <see cref="FlinkJobStates"/>.</param>
/// <param name="StartTime">"start-time", epoch milliseconds.</param>
/// <param name="EndTime">"end-time", epoch milliseconds, -1 while not terminal.</param>
/// <param name="Duration">"duration", milliseconds.</param>
public sealed record FlinkJobDetails(string Id, string Name, string State, long StartTime, long EndTime, long Duration);
