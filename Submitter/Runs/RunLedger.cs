using FlinkBeam.Submitter.Events;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Where run records change: a transition is persisted inside the run's lock and only then published, so nothing
/// observable is ever missing from the history, and a terminal record is never replaced. A transition the file cannot
/// take yet (a full disk) is kept by the history in memory and written later: supervision goes on. The history itself
/// is read from the store, which other Submitter processes sharing the data directory write too. Every stored change is
/// announced to the event stream (<see cref="RunEvents"/>), which never holds the writer up.
/// </summary>
internal sealed class RunLedger(RunHistory store, TimeProvider time, SubmitterTelemetry telemetry, RunEvents events, ILogger<RunLedger> logger)
{
    public RunHistory Store => store;

    /// <summary>Stores a new run on disk, then makes it visible.</summary>
    /// <exception cref="HistoryFullException">The data directory is full; the run does not exist.</exception>
    /// <exception cref="RunStoreException">The run could not be stored; it does not exist.</exception>
    public void Add(RunRecord record)
    {
        store.Add(record);
        events.RunChanged(record.Pipeline);
        logger.LogInformation("Run {RunId} of {Pipeline} created as {JobName}", record.Id, record.Pipeline, record.JobName);
    }

    /// <summary>True when every transition of the run so far is on disk (always, unless the file could not take one).</summary>
    public bool IsWritten(ActiveRun run) => store.IsWritten(run.Id);

    /// <summary>Completes once every transition of the run so far is on disk.</summary>
    public Task WrittenAsync(ActiveRun run, CancellationToken cancellationToken) => store.WhenWrittenAsync(run.Id, cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the run's current record, persists and publishes the result.
    /// Returns false (and changes nothing) when the run is already terminal.
    /// </summary>
    public bool Apply(ActiveRun run, Func<RunRecord, RunRecord> change)
    {
        RunRecord before;
        RunRecord after;
        lock (run.Gate)
        {
            before = run.Record;
            if (before.State.IsTerminal())
            {
                return false;
            }

            var now = time.GetUtcNow();
            after = change(before) with { UpdatedAt = now };
            if (after.State.IsTerminal() && after.FinishedAt is null)
            {
                after = after with { FinishedAt = now };
            }

            store.Save(after);
            run.Record = after;
        }

        events.RunChanged(after.Pipeline);

        Log(before, after);

        if (after.State.IsTerminal())
        {
            telemetry.RunEnded(after);
            run.Completion.TrySetResult(after);
        }

        return true;
    }

    private void Log(RunRecord before, RunRecord after)
    {
        if (before.State != after.State && after.State is RunState.Failed or RunState.TimedOut)
        {
            logger.LogWarning("Run {RunId} of {Pipeline}: {From} -> {To}: {Error}", after.Id, after.Pipeline, before.State, after.State, after.Error);
        }
        else if (before.State != after.State)
        {
            logger.LogInformation("Run {RunId} of {Pipeline}: {From} -> {To}", after.Id, after.Pipeline, before.State, after.State);
        }

        foreach (var warning in after.Warnings.Skip(before.Warnings.Count))
        {
            logger.LogWarning("Run {RunId} of {Pipeline}: {Warning}", after.Id, after.Pipeline, warning);
        }
    }
}
