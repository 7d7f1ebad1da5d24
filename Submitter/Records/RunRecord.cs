namespace FlinkBeam.Submitter.Records;

/// <summary>Everything known about one run; immutable, replaced on every transition.</summary>
public sealed record RunRecord
{
    public required string Id { get; init; }
    public required string Pipeline { get; init; }
    /// <summary>The extra arguments the caller asked for (catalog arguments are not repeated here).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];
    /// <summary>Unique job name (<c>&lt;pipeline&gt;-&lt;short id&gt;</c>); the Flink job is found by it.</summary>
    public required string JobName { get; init; }
    public RunState State { get; init; } = RunState.Pending;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LaunchedAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? ClientExitCode { get; init; }
    /// <summary>The operating system's id of the current attempt's client process, recorded when it starts.</summary>
    public int? ClientProcessId { get; init; }
    /// <summary>
    /// When that process started, in the operating system's own units: with <see cref="ClientProcessId"/> it names the
    /// process for good, so a process id reused after the client ended is never mistaken for it.
    /// </summary>
    public long? ClientProcessStart { get; init; }
    public string? FlinkJobId { get; init; }
    public string? FlinkState { get; init; }
    public int Attempts { get; init; }
    /// <summary>The last lines the client printed (bounded).</summary>
    public IReadOnlyList<string> LastOutput { get; init; } = [];
    public string? Error { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The Beam Job API's id of the job, when the job server reported it (portable mode).</summary>
    public string? BeamJobId { get; init; }
    /// <summary>Set when the run ended Failed or TimedOut, or Cancelled by someone else; null otherwise.</summary>
    public RunFailureReason? FailureReason { get; init; }
    /// <summary>
    /// The Submitter instance that supervises the run (see <c>Submitter.Ownership</c>); another instance takes it over
    /// only when this one is gone.
    /// </summary>
    public string? Owner { get; init; }
}
