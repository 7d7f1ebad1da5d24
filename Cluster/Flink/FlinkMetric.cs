namespace FlinkBeam.Cluster.Flink;

/// <summary>One entry of GET /jobs/{jid}/metrics?get=...: Flink sends every value as text.</summary>
/// <param name="Id">"id": the metric's name, e.g. "numRestarts".</param>
/// <param name="Value">"value", e.g. "0"; null when Flink sent none.</param>
public sealed record FlinkMetric(string Id, string? Value);
