using System.Text.Json.Serialization;

namespace FlinkBeam.Cluster.Flink;

// Wire shapes of Flink's REST answers (flink-runtime rest.messages), with nullable members so a missing field is
// reported by name instead of silently read as 0. Unknown fields are ignored by System.Text.Json's default.

internal sealed class OverviewDto
{
    [JsonPropertyName("taskmanagers")] public int? TaskManagers { get; set; }
    [JsonPropertyName("slots-total")] public int? SlotsTotal { get; set; }
    [JsonPropertyName("slots-available")] public int? SlotsAvailable { get; set; }
    [JsonPropertyName("jobs-running")] public int? JobsRunning { get; set; }
    [JsonPropertyName("jobs-finished")] public int? JobsFinished { get; set; }
    [JsonPropertyName("jobs-cancelled")] public int? JobsCancelled { get; set; }
    [JsonPropertyName("jobs-failed")] public int? JobsFailed { get; set; }
    [JsonPropertyName("flink-version")] public string? FlinkVersion { get; set; }
    [JsonPropertyName("flink-commit")] public string? FlinkCommit { get; set; }
}

internal sealed class TaskManagersDto
{
    [JsonPropertyName("taskmanagers")] public List<TaskManagerDto>? TaskManagers { get; set; }
}

internal sealed class TaskManagerDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("dataPort")] public int? DataPort { get; set; }
    [JsonPropertyName("timeSinceLastHeartbeat")] public long? TimeSinceLastHeartbeat { get; set; }
    [JsonPropertyName("slotsNumber")] public int? SlotsNumber { get; set; }
    [JsonPropertyName("freeSlots")] public int? FreeSlots { get; set; }
}

internal sealed class JobsOverviewDto
{
    [JsonPropertyName("jobs")] public List<JobDto>? Jobs { get; set; }
}

internal sealed class JobDto
{
    [JsonPropertyName("jid")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("state")] public string? State { get; set; }
    [JsonPropertyName("start-time")] public long? StartTime { get; set; }
    [JsonPropertyName("end-time")] public long? EndTime { get; set; }
    [JsonPropertyName("duration")] public long? Duration { get; set; }
    [JsonPropertyName("last-modification")] public long? LastModification { get; set; }
}

internal sealed class JobExceptionsDto
{
    [JsonPropertyName("exceptionHistory")] public ExceptionHistoryDto? ExceptionHistory { get; set; }
    [JsonPropertyName("root-exception")] public string? RootException { get; set; }
    [JsonPropertyName("timestamp")] public long? Timestamp { get; set; }
    [JsonPropertyName("all-exceptions")] public List<LegacyExceptionDto>? AllExceptions { get; set; }
    [JsonPropertyName("truncated")] public bool? Truncated { get; set; }
}

internal sealed class ExceptionHistoryDto
{
    [JsonPropertyName("entries")] public List<ExceptionEntryDto>? Entries { get; set; }
    [JsonPropertyName("truncated")] public bool? Truncated { get; set; }
}

internal sealed class ExceptionEntryDto
{
    [JsonPropertyName("exceptionName")] public string? ExceptionName { get; set; }
    [JsonPropertyName("stacktrace")] public string? Stacktrace { get; set; }
    [JsonPropertyName("timestamp")] public long? Timestamp { get; set; }
    [JsonPropertyName("taskName")] public string? TaskName { get; set; }
}

internal sealed class LegacyExceptionDto
{
    [JsonPropertyName("exception")] public string? Exception { get; set; }
    [JsonPropertyName("task")] public string? Task { get; set; }
    [JsonPropertyName("timestamp")] public long? Timestamp { get; set; }
}

internal sealed class JobVerticesDto
{
    [JsonPropertyName("jid")] public string? Id { get; set; }
    [JsonPropertyName("vertices")] public List<VertexDto>? Vertices { get; set; }
}

internal sealed class VertexDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("parallelism")] public int? Parallelism { get; set; }
}

// AggregatedMetric (rest.messages.job.metrics): the aggregates Flink did not compute are left out.
internal sealed class AggregatedMetricDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("min")] public double? Min { get; set; }
    [JsonPropertyName("max")] public double? Max { get; set; }
    [JsonPropertyName("avg")] public double? Avg { get; set; }
    [JsonPropertyName("sum")] public double? Sum { get; set; }
}

// Metric (rest.messages.job.metrics): the value is text.
internal sealed class MetricDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

// CheckpointingStatistics (rest.messages.checkpoints).
internal sealed class CheckpointingStatisticsDto
{
    [JsonPropertyName("counts")] public CheckpointCountsDto? Counts { get; set; }
    [JsonPropertyName("latest")] public LatestCheckpointsDto? Latest { get; set; }
}

internal sealed class CheckpointCountsDto
{
    [JsonPropertyName("completed")] public long? Completed { get; set; }
    [JsonPropertyName("failed")] public long? Failed { get; set; }
}

internal sealed class LatestCheckpointsDto
{
    [JsonPropertyName("completed")] public CompletedCheckpointDto? Completed { get; set; }
}

internal sealed class CompletedCheckpointDto
{
    [JsonPropertyName("id")] public long? Id { get; set; }
    [JsonPropertyName("end_to_end_duration")] public long? EndToEndDuration { get; set; }
    [JsonPropertyName("state_size")] public long? StateSize { get; set; }
    [JsonPropertyName("checkpointed_size")] public long? CheckpointedSize { get; set; }
}

internal sealed class ErrorsDto
{
    [JsonPropertyName("errors")] public List<string>? Errors { get; set; }
}

[JsonSerializable(typeof(OverviewDto))]
[JsonSerializable(typeof(TaskManagersDto))]
[JsonSerializable(typeof(JobsOverviewDto))]
[JsonSerializable(typeof(JobDto))]
[JsonSerializable(typeof(JobExceptionsDto))]
[JsonSerializable(typeof(JobVerticesDto))]
[JsonSerializable(typeof(List<AggregatedMetricDto>))]
[JsonSerializable(typeof(List<MetricDto>))]
[JsonSerializable(typeof(CheckpointingStatisticsDto))]
[JsonSerializable(typeof(ErrorsDto))]
internal sealed partial class FlinkRestJsonContext : JsonSerializerContext;
