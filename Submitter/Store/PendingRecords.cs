using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// Records on their way to the file, newest per run: each write is kept here from just before it is tried until it
/// succeeded, so a record the file could not take (a full disk, an I/O error) stays in memory, is what readers of this
/// process see, and is written when the file takes writes again. A newer record of a run replaces an older one.
/// </summary>
internal sealed class PendingRecords
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="record"/> as its run's newest record until <see cref="Written"/> is called with the returned entry.</summary>
    public Entry Keep(RunRecord record, string json, long checksum)
    {
        lock (_lock)
        {
            var written = _entries.TryGetValue(record.Id, out var older) ? older.Done : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var entry = new Entry(record, json, checksum, written);
            _entries[record.Id] = entry;
            return entry;
        }
    }

    /// <summary>The entry reached the file: it is forgotten unless a newer record of its run replaced it meanwhile.</summary>
    public void Written(Entry entry)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(entry.Record.Id, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            _entries.Remove(entry.Record.Id);
        }

        entry.Done.TrySetResult();
    }

    public RunRecord? Get(string id)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(id, out var entry) ? entry.Record : null;
        }
    }

    public IReadOnlyList<Entry> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries.Values];
        }
    }

    /// <summary>Completes once no record of the run waits to be written.</summary>
    public Task WhenWritten(string id)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(id, out var entry) ? entry.Done.Task : Task.CompletedTask;
        }
    }

    /// <summary>A record and its serialized form, as it is to be written.</summary>
    internal sealed record Entry(RunRecord Record, string Json, long Checksum, TaskCompletionSource Done);
}
