namespace FlinkBeam.Cluster.Flink;

/// <summary>One failure of a job, from GET /jobs/{jid}/exceptions.</summary>
/// <param name="ExceptionName">"exceptionName": the Java exception class.</param>
/// <param name="Stacktrace">"stacktrace": the full text, first line "Class: message".</param>
/// <param name="Timestamp">"timestamp", epoch milliseconds.</param>
/// <param name="TaskName">"taskName": the failing task, null for global failures.</param>
public sealed record FlinkExceptionEntry(string ExceptionName, string Stacktrace, long Timestamp, string? TaskName);
