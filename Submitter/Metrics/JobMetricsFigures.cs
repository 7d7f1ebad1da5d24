using System.Globalization;
using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Submitter.Metrics;

/// <summary>Flink's answers as figures: what is read from which answer, decided without I/O. An answer that is missing leaves its figures null.</summary>
internal static class JobMetricsFigures
{
    public const string NumRecordsIn = "numRecordsIn";
    public const string NumRecordsOut = "numRecordsOut";
    public const string NumRecordsOutPerSecond = "numRecordsOutPerSecond";
    public const string BackPressuredTimeMsPerSecond = "backPressuredTimeMsPerSecond";
    public const string BusyTimeMsPerSecond = "busyTimeMsPerSecond";
    public const string NumRestarts = "numRestarts";

    /// <summary>The vertex metrics asked for, in one request per vertex.</summary>
    public static IReadOnlyList<string> VertexMetrics { get; } =
        [NumRecordsIn, NumRecordsOut, NumRecordsOutPerSecond, BackPressuredTimeMsPerSecond, BusyTimeMsPerSecond];

    /// <summary>The job metrics asked for, in one request per job.</summary>
    public static IReadOnlyList<string> JobMetrics { get; } = [NumRestarts];

    /// <summary>A vertex's figures: each metric's sum over the subtasks.</summary>
    public static VertexFigures Vertex(FlinkJobVertex vertex, IReadOnlyList<FlinkAggregatedMetric>? answer)
    {
        double? Sum(string name) => answer?.FirstOrDefault(m => m.Id == name)?.Sum;
        return new VertexFigures(vertex.Id, vertex.Name, Sum(NumRecordsIn), Sum(NumRecordsOut), Sum(NumRecordsOutPerSecond),
            Sum(BackPressuredTimeMsPerSecond), Sum(BusyTimeMsPerSecond));
    }

    /// <summary>The counts, and the latest completed checkpoint's duration and full size (the bytes it wrote when Flink gives no full size).</summary>
    public static CheckpointFigures? Checkpoints(FlinkCheckpointStatistics? answer) =>
        answer is null
            ? null
            : new CheckpointFigures(answer.Completed, answer.Failed, answer.LatestCompleted?.EndToEndDuration,
                answer.LatestCompleted is { } latest ? latest.StateSize ?? latest.CheckpointedSize : null);

    /// <summary>numRestarts, which Flink sends as text; null when it is missing or not a number.</summary>
    public static long? Restarts(IReadOnlyList<FlinkMetric>? answer) =>
        answer?.FirstOrDefault(m => m.Id == NumRestarts)?.Value is { } text
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? (long)value
            : null;
}
