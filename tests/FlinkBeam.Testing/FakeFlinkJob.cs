namespace FlinkBeam.Testing;

/// <summary>A snapshot of one job in a <see cref="FakeFlinkCluster"/>, as its REST API reports it at that moment.</summary>
/// <param name="Id">The jid: 32 lower-case hex characters.</param>
/// <param name="Name">The job name.</param>
/// <param name="State">The Flink job state, e.g. "RUNNING".</param>
/// <param name="Parallelism">Slots the job holds while running.</param>
/// <param name="StartTime">Epoch milliseconds of submission.</param>
/// <param name="EndTime">Epoch milliseconds when a terminal state was reached, or -1.</param>
/// <param name="Duration">Milliseconds from start to end (or to now while not terminal).</param>
/// <param name="LastModification">Epoch milliseconds of the last state change.</param>
public sealed record FakeFlinkJob(
    string Id, string Name, string State, int Parallelism, long StartTime, long EndTime, long Duration, long LastModification);
