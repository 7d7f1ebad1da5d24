namespace FlinkBeam.Submitter.Supervision;

/// <summary>Everything a supervision decision looks at, taken at <see cref="Now"/>.</summary>
/// <param name="Now">The moment of the observation.</param>
/// <param name="Since">When this supervision began looking: the attempt's launch, or the take-over after a restart.</param>
/// <param name="Client">The client process.</param>
/// <param name="Flink">Flink's job list.</param>
/// <param name="CancelRequested">True when someone asked for the run to be cancelled.</param>
public sealed record RunObservation(
    DateTimeOffset Now,
    DateTimeOffset Since,
    ClientObservation Client,
    FlinkObservation Flink,
    bool CancelRequested = false);
