using System.Collections.Concurrent;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// The history as callers see it: every record in memory, every change written to the store first. A transition
/// is persisted inside the run's lock and only then published, so nothing observable is ever missing from disk,
/// and a terminal record is never replaced.
/// </summary>
internal sealed class RunLedger
{
    private readonly RunStore _store;
    private readonly TimeProvider _time;
    private readonly SubmitterTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RunRecord> _records;

    public RunLedger(RunStore store, TimeProvider time, SubmitterTelemetry telemetry, ILogger logger)
    {
        _store = store;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
        _records = new ConcurrentDictionary<string, RunRecord>(
            store.LoadAll().Select(r => KeyValuePair.Create(r.Id, r)), StringComparer.Ordinal);
    }

    public RunRecord? Get(string id) => _records.TryGetValue(id, out var record) ? record : null;

    public IReadOnlyList<RunRecord> List() =>
        _records.Values.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<RunRecord> Active() =>
        _records.Values.Where(r => !r.State.IsTerminal()).OrderBy(r => r.CreatedAt).ToList();

    public bool IsTaken(string id, string jobName) =>
        _records.ContainsKey(id) || _records.Values.Any(r => r.JobName == jobName);

    /// <summary>Stores a new run, then makes it visible.</summary>
    public void Add(RunRecord record)
    {
        _store.Save(record);
        _records[record.Id] = record;
        _logger.LogInformation("Run {RunId} of {Pipeline} created as {JobName}", record.Id, record.Pipeline, record.JobName);
    }

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

            var now = _time.GetUtcNow();
            after = change(before) with { UpdatedAt = now };
            if (after.State.IsTerminal() && after.FinishedAt is null)
            {
                after = after with { FinishedAt = now };
            }

            _store.Save(after);
            run.Record = after;
            _records[after.Id] = after;
        }

        Log(before, after);

        if (after.State.IsTerminal())
        {
            _telemetry.RunEnded(after);
            run.Completion.TrySetResult(after);
        }

        return true;
    }

    private void Log(RunRecord before, RunRecord after)
    {
        if (before.State != after.State && after.State is RunState.Failed or RunState.TimedOut)
        {
            _logger.LogWarning("Run {RunId} of {Pipeline}: {From} -> {To}: {Error}", after.Id, after.Pipeline, before.State, after.State, after.Error);
        }
        else if (before.State != after.State)
        {
            _logger.LogInformation("Run {RunId} of {Pipeline}: {From} -> {To}", after.Id, after.Pipeline, before.State, after.State);
        }

        foreach (var warning in after.Warnings.Skip(before.Warnings.Count))
        {
            _logger.LogWarning("Run {RunId} of {Pipeline}: {Warning}", after.Id, after.Pipeline, warning);
        }
    }
}
