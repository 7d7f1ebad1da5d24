namespace FlinkBeam.Cluster.Flink;

/// <summary>GET /jobs/{jid}/checkpoints (the fields the project reads).</summary>
/// <param name="Completed">"counts.completed".</param>
/// <param name="Failed">"counts.failed".</param>
/// <param name="LatestCompleted">"latest.completed"; null before the first checkpoint completes.</param>
public sealed record FlinkCheckpointStatistics(long Completed, long Failed, FlinkCompletedCheckpoint? LatestCompleted);

/// <summary>"latest.completed" of GET /jobs/{jid}/checkpoints.</summary>
/// <param name="Id">"id".</param>
/// <param name="EndToEndDuration">"end_to_end_duration", milliseconds.</param>
/// <param name="StateSize">"state_size": the checkpoint's full size in bytes.</param>
/// <param name="CheckpointedSize">"checkpointed_size": the bytes this checkpoint wrote (smaller than the state with incremental checkpoints); absent before Flink 1.15.</param>
public sealed record FlinkCompletedCheckpoint(long Id, long? EndToEndDuration, long? StateSize, long? CheckpointedSize);
