using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FlinkBeam.Testing;

/// <summary>
/// Flink's JSON for a fake job's vertices and metrics, in the shapes of flink-runtime's REST messages: JobDetailsInfo's
/// "vertices", AggregatedMetric (<c>[{"id","min","max","avg","sum"}]</c>), Metric (<c>[{"id","value"}]</c>, the value
/// as text) and CheckpointingStatistics.
/// </summary>
internal static class FakeFlinkMetricsJson
{
    /// <summary>The id Flink would give vertex <paramref name="index"/> of job <paramref name="jobId"/>: 32 hex characters.</summary>
    public static string VertexId(string jobId, int index) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{jobId}/{index}")));

    public static JsonArray Vertices(FakeFlinkJobTimeline job, FakeFlinkJob snapshot, JsonObject tasks) =>
        new(job.Metrics.Vertices.Select((v, i) => (JsonNode?)new JsonObject
        {
            ["id"] = VertexId(job.Id, i),
            ["slotSharingGroupId"] = "a34da6a6bdd8d55d8f59fa3a3a0a5b12",
            ["name"] = v.Name,
            ["maxParallelism"] = 128,
            ["parallelism"] = job.Parallelism,
            ["status"] = snapshot.State,
            ["start-time"] = snapshot.StartTime,
            ["end-time"] = snapshot.EndTime,
            ["duration"] = snapshot.Duration,
            ["tasks"] = tasks.DeepClone(),
            ["metrics"] = new JsonObject
            {
                ["read-bytes"] = 0, ["read-bytes-complete"] = true, ["write-bytes"] = 0, ["write-bytes-complete"] = true,
                ["read-records"] = (long)Figure(v, "numRecordsIn"), ["read-records-complete"] = true,
                ["write-records"] = (long)Figure(v, "numRecordsOut"), ["write-records-complete"] = true,
                ["accumulated-backpressured-time"] = 0, ["accumulated-idle-time"] = 0, ["accumulated-busy-time"] = 0.0,
            },
        }).ToArray());

    /// <summary>
    /// /jobs/{jid}/vertices/{vid}/subtasks/metrics: without <paramref name="get"/> the names available (<c>[{"id"}]</c>);
    /// with it the metrics named that the vertex has, aggregated over its subtasks (each subtask holding an equal share).
    /// Null for a vertex the job does not have.
    /// </summary>
    public static JsonArray? SubtaskMetrics(FakeFlinkJobTimeline job, string vertexId, string? get)
    {
        var index = Enumerable.Range(0, job.Metrics.Vertices.Count).FirstOrDefault(i => VertexId(job.Id, i) == vertexId, -1);
        if (index < 0)
        {
            return null;
        }

        var figures = job.Metrics.Vertices[index].Figures ?? new Dictionary<string, double>();
        if (get is null)
        {
            return new JsonArray(figures.Keys.Select(k => (JsonNode?)new JsonObject { ["id"] = k }).ToArray());
        }

        var share = Math.Max(1, job.Parallelism);
        return new JsonArray(Names(get).Where(figures.ContainsKey).Select(name => (JsonNode?)new JsonObject
        {
            ["id"] = name,
            ["min"] = figures[name] / share,
            ["max"] = figures[name] / share,
            ["avg"] = figures[name] / share,
            ["sum"] = figures[name],
            ["skew"] = 0.0,
        }).ToArray());
    }

    /// <summary>/jobs/{jid}/metrics: without <paramref name="get"/> the names available; with it the values, as text.</summary>
    public static JsonArray JobMetrics(FakeFlinkJobTimeline job, string? get)
    {
        var available = new Dictionary<string, string>(StringComparer.Ordinal);
        if (job.Metrics.NumRestarts is { } restarts)
        {
            available["numRestarts"] = restarts.ToString(CultureInfo.InvariantCulture);
        }

        return get is null
            ? new JsonArray(available.Keys.Select(k => (JsonNode?)new JsonObject { ["id"] = k }).ToArray())
            : new JsonArray(Names(get).Where(available.ContainsKey)
                .Select(name => (JsonNode?)new JsonObject { ["id"] = name, ["value"] = available[name] }).ToArray());
    }

    /// <summary>/jobs/{jid}/checkpoints: CheckpointingStatistics, or null when the job does not checkpoint.</summary>
    public static JsonObject? Checkpoints(FakeFlinkJobTimeline job, long now)
    {
        if (job.Metrics.Checkpoints is not { } c)
        {
            return null;
        }

        JsonObject? latest = c.Completed > 0 ? Completed(c, job.Parallelism, now) : null;
        JsonObject Summary(long value) => new()
        {
            ["min"] = value, ["max"] = value, ["avg"] = value, ["p50"] = (double)value, ["p90"] = (double)value,
            ["p95"] = (double)value, ["p99"] = (double)value, ["p999"] = (double)value,
        };
        return new JsonObject
        {
            ["counts"] = new JsonObject
            {
                ["restored"] = 0,
                ["total"] = c.Completed + c.Failed,
                ["in_progress"] = 0,
                ["completed"] = c.Completed,
                ["failed"] = c.Failed,
            },
            ["summary"] = new JsonObject
            {
                ["checkpointed_size"] = Summary(c.LatestCheckpointedSize),
                ["state_size"] = Summary(c.LatestStateSize),
                ["end_to_end_duration"] = Summary(c.LatestDurationMs),
                ["alignment_buffered"] = Summary(0),
                ["processed_data"] = Summary(0),
                ["persisted_data"] = Summary(0),
            },
            ["latest"] = new JsonObject
            {
                ["completed"] = latest,
                ["savepoint"] = null,
                ["failed"] = null,
                ["restored"] = null,
            },
            ["history"] = latest is null ? new JsonArray() : new JsonArray(latest.DeepClone()),
        };
    }

    private static JsonObject Completed(FakeFlinkCheckpoints c, int parallelism, long now) => new()
    {
        ["className"] = "completed",
        ["id"] = c.Completed + c.Failed,
        ["status"] = "COMPLETED",
        ["is_savepoint"] = false,
        ["savepointFormat"] = null,
        ["trigger_timestamp"] = now - c.LatestDurationMs,
        ["latest_ack_timestamp"] = now,
        ["checkpointed_size"] = c.LatestCheckpointedSize,
        ["state_size"] = c.LatestStateSize,
        ["end_to_end_duration"] = c.LatestDurationMs,
        ["alignment_buffered"] = 0,
        ["processed_data"] = 0,
        ["persisted_data"] = 0,
        ["num_subtasks"] = parallelism,
        ["num_acknowledged_subtasks"] = parallelism,
        ["checkpoint_type"] = "CHECKPOINT",
        ["tasks"] = new JsonObject(),
        ["external_path"] = "<checkpoint-not-externally-addressable>",
        ["discarded"] = false,
    };

    private static double Figure(FakeFlinkVertex vertex, string name) =>
        vertex.Figures is { } figures && figures.TryGetValue(name, out var value) ? value : 0;

    private static IEnumerable<string> Names(string get) =>
        get.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal);
}
