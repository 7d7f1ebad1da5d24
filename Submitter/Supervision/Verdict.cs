using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Supervision;

/// <summary>What a run's supervision does next, as decided by <see cref="SupervisionDecision.Decide"/>.</summary>
public abstract record Verdict
{
    private Verdict()
    {
    }

    /// <summary>Nothing to do yet: look again at the next observation, or at <see cref="WakeAt"/> at the latest.</summary>
    public sealed record KeepWaiting(DateTimeOffset? WakeAt = null) : Verdict;

    /// <summary>End the client and its child processes, note <see cref="Warning"/> on the run, then look again.</summary>
    public sealed record EndClient(string Warning) : Verdict;

    /// <summary>Launch the client again: it failed with the known transient error <see cref="Signature"/> before any job existed.</summary>
    public sealed record Retry(string Signature) : Verdict;

    /// <summary>The run is decided: carry out what <see cref="Outcome"/> asks and record it.</summary>
    public sealed record Conclude(RunOutcome Outcome) : Verdict;
}

/// <summary>How a run ends.</summary>
/// <param name="State">The terminal state to record.</param>
/// <param name="Reason">Why it did not succeed, where that applies.</param>
/// <param name="Error">What went wrong, in one sentence; null on success.</param>
/// <param name="Warnings">What the user should know although the outcome stands.</param>
/// <param name="EndClient">End the client (and its child processes) first, if it still runs.</param>
/// <param name="CancelJob">Cancel the run's job first (by id, or found by name), if it exists and has not ended.</param>
/// <param name="AddRootCause">Append the job's root exception, as Flink reports it, to <see cref="Error"/>.</param>
public sealed record RunOutcome(
    RunState State,
    RunFailureReason? Reason = null,
    string? Error = null,
    IReadOnlyList<string>? Warnings = null,
    bool EndClient = false,
    bool CancelJob = false,
    bool AddRootCause = false);
