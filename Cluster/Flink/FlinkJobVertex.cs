namespace FlinkBeam.Cluster.Flink;

/// <summary>One entry of the "vertices" of GET /jobs/{jid}: a task of the job's graph (Beam fuses a pipeline's steps into few).</summary>
/// <param name="Id">"id": 32 hexadecimal characters.</param>
/// <param name="Name">"name", e.g. "[3]Read/Impulse -&gt; ... -&gt; Write/ParDo(WriteBundles)".</param>
/// <param name="Parallelism">"parallelism": its subtasks.</param>
public sealed record FlinkJobVertex(string Id, string Name, int Parallelism);
