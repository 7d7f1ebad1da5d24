using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Submitter.Supervision;

/// <summary>The Flink side of an observation: the latest answer of the job list as far as the run is concerned.</summary>
/// <param name="Answered">True when the latest poll of Flink's job list was answered.</param>
/// <param name="LastAnswerAt">When Flink last answered (the start of the supervision when it never did).</param>
/// <param name="Job">The run's job in the latest answer (by its id once known, else by the run's job name); null when absent.</param>
/// <param name="JobMissingSince">Set while a job whose id is known is absent from Flink's answers: since when.</param>
/// <param name="TerminalSince">When the job reached its terminal state, as far as can be told (grace counts from here).</param>
/// <param name="Error">Why the latest poll failed, when it did.</param>
public sealed record FlinkObservation(
    bool Answered,
    DateTimeOffset LastAnswerAt,
    FlinkJobSummary? Job = null,
    DateTimeOffset? JobMissingSince = null,
    DateTimeOffset? TerminalSince = null,
    string? Error = null);
