namespace FlinkBeam.Cluster.Flink;

/// <summary>
/// One entry of GET /jobs/{jid}/vertices/{vid}/subtasks/metrics?get=...: a metric aggregated over the vertex's subtasks.
/// Flink leaves out an aggregate it did not compute.
/// </summary>
/// <param name="Id">"id": the metric's name, e.g. "numRecordsIn".</param>
/// <param name="Min">"min".</param>
/// <param name="Max">"max".</param>
/// <param name="Avg">"avg".</param>
/// <param name="Sum">"sum".</param>
public sealed record FlinkAggregatedMetric(string Id, double? Min, double? Max, double? Avg, double? Sum);
