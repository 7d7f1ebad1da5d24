namespace FlinkBeam.Submitter.Events;

/// <summary>The data of an <c>output</c> event: one line a run's client printed, on stdout or stderr.</summary>
public sealed record ClientOutputLine(string Pipeline, string RunId, string Line);
