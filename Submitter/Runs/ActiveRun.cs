using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// A run this Submitter supervises. Transitions of one run are serialized by <see cref="Gate"/>; the supervisor is the
/// only task that drives the run, and cancellation reaches it through <see cref="Token"/>.
/// </summary>
internal sealed class ActiveRun
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _detach = new();
    private readonly CancellationTokenSource _linked;
    private RunRecord _record;

    /// <summary>A run started by this Submitter.</summary>
    public ActiveRun(RunRecord record, PipelineDefinition definition, IReadOnlyList<string> arguments)
        : this(record)
    {
        Definition = definition;
        Arguments = arguments;
    }

    /// <summary>A run taken over from a Submitter that is gone; it is never launched again.</summary>
    public ActiveRun(RunRecord record)
    {
        _record = record;
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token, _detach.Token);
    }

    public Lock Gate { get; } = new();

    public string Id => _record.Id;

    /// <summary>The last persisted record.</summary>
    public RunRecord Record
    {
        get => Volatile.Read(ref _record);
        set => Volatile.Write(ref _record, value);
    }

    /// <summary>Null for a run taken over after a restart.</summary>
    public PipelineDefinition? Definition { get; }

    /// <summary>The client's argument list after the interpreter; null for a run taken over after a restart.</summary>
    public IReadOnlyList<string>? Arguments { get; }

    public bool Adopted => Definition is null;

    /// <summary>The client of the current attempt (or the one a gone Submitter started).</summary>
    public Client Client { get; set; } = Client.None;

    /// <summary>The slots the gate holds for the run until its job runs on Flink.</summary>
    public GateAdmission? Admission { get; set; }

    public Task Supervisor { get; set; } = Task.CompletedTask;

    public TaskCompletionSource<RunRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first cancel request has been carried out.</summary>
    public Task<RunRecord>? CancelTask { get; set; }

    public CancellationToken Token => _linked.Token;

    public bool CancelRequested => _cancel.IsCancellationRequested;

    public bool Detached => _detach.IsCancellationRequested;

    /// <summary>Signals the supervisor; its continuations run on the thread pool, not on the caller's thread.</summary>
    public Task RequestCancelAsync() => _cancel.CancelAsync();

    /// <summary>Stops supervising without touching the job or the client (shutdown that leaves runs running).</summary>
    public void Detach() => _detach.Cancel();
}
