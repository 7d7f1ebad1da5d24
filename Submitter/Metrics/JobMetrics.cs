using System.Text.Json.Serialization;

namespace FlinkBeam.Submitter.Metrics;

/// <summary>
/// What Flink gave for one running run in one metrics round: the data of a <c>metrics</c> event and the source of the
/// <c>flinkbeam.job.*</c> instruments. A figure Flink did not give is null (and left out of the JSON).
/// </summary>
/// <param name="Pipeline">The run's pipeline.</param>
/// <param name="RunId">The run.</param>
/// <param name="FlinkJobId">Its Flink job.</param>
/// <param name="At">When the round read it.</param>
/// <param name="NumRestarts">The job metric numRestarts.</param>
/// <param name="Checkpoints">Null when the job does not checkpoint (or Flink did not answer).</param>
/// <param name="Vertices">The job's vertices; empty when Flink did not list them.</param>
public sealed record JobMetrics(
    string Pipeline,
    string RunId,
    string FlinkJobId,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NumRestarts,
    CheckpointFigures? Checkpoints,
    IReadOnlyList<VertexFigures> Vertices);

/// <summary>A job's checkpoints: the counts, and the duration and size of the latest completed one (null before the first).</summary>
public sealed record CheckpointFigures(
    long Completed,
    long Failed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastDurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastSizeBytes);

/// <summary>One vertex of a job, each figure the sum over its subtasks (Flink's metric names, camelCase).</summary>
public sealed record VertexFigures(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NumRecordsIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NumRecordsOut,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NumRecordsOutPerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? BackPressuredTimeMsPerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? BusyTimeMsPerSecond);
