namespace FlinkBeam.Testing;

/// <summary>
/// What a fake job's metrics endpoints answer: its vertices (GET /jobs/{jid}) with their metrics
/// (/vertices/{vid}/subtasks/metrics), its checkpoints (/checkpoints) and its own metrics (/metrics).
/// </summary>
public sealed record FakeFlinkJobMetrics
{
    /// <summary>The vertex a job has unless told otherwise: one fused Beam stage with no figures yet.</summary>
    public static FakeFlinkVertex DefaultVertex { get; } = new("[3]Read/Impulse -> ... -> Write/ParDo(WriteBundles)");

    /// <summary>The job's vertices, in the order GET /jobs/{jid} lists them.</summary>
    public IReadOnlyList<FakeFlinkVertex> Vertices { get; init; } = [DefaultVertex];

    /// <summary>Null: the job does not checkpoint, and /checkpoints answers 404 as Flink does.</summary>
    public FakeFlinkCheckpoints? Checkpoints { get; init; }

    /// <summary>The job metric numRestarts; null: Flink has not reported it (the metric is left out of the answer).</summary>
    public long? NumRestarts { get; init; } = 0;
}

/// <summary>One vertex of a fake job.</summary>
/// <param name="Name">Its name, as Flink reports it.</param>
/// <param name="Figures">Its metrics by Flink's name (e.g. numRecordsIn), each the sum over its subtasks; a name not here is left out of the answer.</param>
public sealed record FakeFlinkVertex(string Name, IReadOnlyDictionary<string, double>? Figures = null);

/// <summary>A fake job's checkpoint statistics.</summary>
/// <param name="Completed">counts.completed; the latest completed checkpoint is reported once this is above 0.</param>
/// <param name="Failed">counts.failed.</param>
/// <param name="LatestDurationMs">latest.completed.end_to_end_duration.</param>
/// <param name="LatestStateSize">latest.completed.state_size (bytes).</param>
/// <param name="LatestCheckpointedSize">latest.completed.checkpointed_size (bytes).</param>
public sealed record FakeFlinkCheckpoints(long Completed, long Failed, long LatestDurationMs = 0, long LatestStateSize = 0, long LatestCheckpointedSize = 0);
