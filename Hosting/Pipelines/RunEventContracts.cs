using System.Text.Json;

namespace FlinkBeam.Hosting;

/// <summary>
/// The JSON the Submitter's API and run events carry, as far as the dashboard reads it (camelCase, states as names,
/// times ISO 8601); whatever else a message holds is ignored.
/// </summary>
internal static class RunEventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

/// <summary>A run record as <c>GET /runs/{id}</c> answers it, the fields the dashboard shows.</summary>
internal sealed record RunView(
    string Id,
    string Pipeline,
    string? JobName,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? FlinkJobId,
    int Attempts,
    string? Error,
    string? FailureReason,
    IReadOnlyList<string>? Warnings)
{
    /// <summary>The states after which a run changes no more.</summary>
    public static readonly IReadOnlySet<string> TerminalStates = new HashSet<string>(StringComparer.Ordinal) { "Succeeded", "Failed", "Cancelled", "TimedOut" };

    public bool IsTerminal => TerminalStates.Contains(State);
}

/// <summary><c>event: pipeline</c>: one catalog pipeline's history in figures, and its newest run.</summary>
internal sealed record PipelineEvent(string Pipeline, long Runs, long Failed, RunView? Latest);

/// <summary><c>event: output</c>: one line a run's client printed.</summary>
internal sealed record OutputEvent(string Pipeline, string RunId, string Line);

/// <summary><c>event: metrics</c>: the figures of one Running run's Flink job after a metrics round; absent ones are null.</summary>
internal sealed record MetricsEvent(
    string Pipeline,
    string RunId,
    string? FlinkJobId,
    DateTimeOffset At,
    long? NumRestarts,
    CheckpointFigures? Checkpoints,
    IReadOnlyList<VertexFigures>? Vertices);

/// <summary>The job's checkpoints: counts, and the size and duration of the latest completed one.</summary>
internal sealed record CheckpointFigures(long? Completed, long? Failed, long? LastDurationMs, long? LastSizeBytes);

/// <summary>One vertex (operator chain) of the job, figures summed over its subtasks.</summary>
internal sealed record VertexFigures(
    string? Id,
    string? Name,
    double? NumRecordsIn,
    double? NumRecordsOut,
    double? NumRecordsOutPerSecond,
    double? BackPressuredTimeMsPerSecond,
    double? BusyTimeMsPerSecond);
