using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FlinkBeam.Submitter.Metrics;

/// <summary>
/// The <c>flinkbeam.job.*</c> instruments on the Submitter's meter: observable gauges that report the last metrics round
/// (<see cref="JobMetricsCollector.Current"/>), tagged <c>pipeline</c>, <c>run_id</c> and, for a vertex's figures,
/// <c>vertex</c> (its name). A figure Flink did not give is not reported; a run's series end when the run ends.
/// </summary>
internal static class JobMetricsInstruments
{
    public const string PipelineTag = "pipeline";
    public const string RunIdTag = "run_id";
    public const string VertexTag = "vertex";

    public static void Observe(Meter meter, Func<IReadOnlyList<JobMetrics>> current)
    {
        Vertex(meter, current, "flinkbeam.job.records_in", "{record}", "Records the vertex received (Flink numRecordsIn, summed over its subtasks).", v => v.NumRecordsIn);
        Vertex(meter, current, "flinkbeam.job.records_out", "{record}", "Records the vertex emitted (Flink numRecordsOut, summed over its subtasks).", v => v.NumRecordsOut);
        Vertex(meter, current, "flinkbeam.job.records_out.rate", "{record}/s", "Records the vertex emits per second (Flink numRecordsOutPerSecond, summed over its subtasks).", v => v.NumRecordsOutPerSecond);
        Vertex(meter, current, "flinkbeam.job.backpressured_time", "ms/s", "Time the vertex was back-pressured per second (Flink backPressuredTimeMsPerSecond, summed over its subtasks).", v => v.BackPressuredTimeMsPerSecond);
        Vertex(meter, current, "flinkbeam.job.busy_time", "ms/s", "Time the vertex was busy per second (Flink busyTimeMsPerSecond, summed over its subtasks).", v => v.BusyTimeMsPerSecond);
        Job(meter, current, "flinkbeam.job.checkpoints.completed", "{checkpoint}", "Checkpoints the job completed.", m => m.Checkpoints?.Completed);
        Job(meter, current, "flinkbeam.job.checkpoints.failed", "{checkpoint}", "Checkpoints of the job that failed.", m => m.Checkpoints?.Failed);
        Job(meter, current, "flinkbeam.job.checkpoint.duration", "ms", "End-to-end duration of the job's latest completed checkpoint.", m => m.Checkpoints?.LastDurationMs);
        Job(meter, current, "flinkbeam.job.checkpoint.size", "By", "State size of the job's latest completed checkpoint.", m => m.Checkpoints?.LastSizeBytes);
        Job(meter, current, "flinkbeam.job.restarts", "{restart}", "Times the job restarted (Flink numRestarts).", m => m.NumRestarts);
    }

    private static void Vertex(Meter meter, Func<IReadOnlyList<JobMetrics>> current, string name, string unit, string description, Func<VertexFigures, double?> figure) =>
        meter.CreateObservableGauge(name, () =>
            from job in current()
            from vertex in job.Vertices
            let value = figure(vertex)
            where value is not null
            select new Measurement<double>(value.Value, new TagList { { PipelineTag, job.Pipeline }, { RunIdTag, job.RunId }, { VertexTag, vertex.Name } }),
            unit, description);

    private static void Job(Meter meter, Func<IReadOnlyList<JobMetrics>> current, string name, string unit, string description, Func<JobMetrics, long?> figure) =>
        meter.CreateObservableGauge(name, () =>
            from job in current()
            let value = figure(job)
            where value is not null
            select new Measurement<long>(value.Value, new TagList { { PipelineTag, job.Pipeline }, { RunIdTag, job.RunId } }),
            unit, description);
}
