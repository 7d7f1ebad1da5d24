namespace FlinkBeam.Testing;

/// <summary>One step of a scripted job: the job is in <paramref name="State"/> for <paramref name="Duration"/>; the last step stays.</summary>
/// <param name="State">A Flink job state, e.g. "RUNNING".</param>
/// <param name="Duration">How long the step lasts; ignored (may be null) for the last step.</param>
public sealed record FakeFlinkJobPhase(string State, TimeSpan? Duration = null);
