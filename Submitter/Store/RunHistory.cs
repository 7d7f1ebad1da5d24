using System.Collections.Concurrent;
using System.Text;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The durable run history: one row per run in <see cref="HistoryFile"/>, holding the <see cref="RunRecord"/> as JSON
/// with its checksum beside the indexed columns. Every page is a bounded index range whatever the filters and the
/// limit; each record is checked as it is read, and one that is damaged is reported by run and file and never
/// rewritten. A transition that cannot be written (a full disk, an I/O error) is kept in memory, newest per run, is
/// what this process reads, and is written in the background as soon as the file takes writes again.
/// </summary>
public sealed class RunHistory : IAsyncDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    // SQLite's result code for a violated constraint (a run's id or job name taken).
    private const int SqliteConstraint = 19;

    private readonly HistoryFile _file;
    private readonly ILogger _logger;
    private readonly PendingRecords _pending = new();
    private readonly ConcurrentDictionary<string, byte> _reportedDamage = new(StringComparer.Ordinal);
    private readonly Lock _retryGate = new();
    private readonly BackgroundLoop _retry;
    private string? _outage;
    private int _disposed;

    public RunHistory(HistoryFile file, ILogger<RunHistory>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var clock = time ?? TimeProvider.System;
        _retry = new BackgroundLoop(stopping => RetryAsync(clock, stopping));
    }

    /// <summary>Absolute path of the SQLite file.</summary>
    public string FilePath => _file.FilePath;

    /// <summary>How many runs have a record this process could not write yet.</summary>
    public int Unwritten => _pending.Count;

    /// <summary>
    /// Stores a new run; it is on disk when this returns, or the run does not exist. An accepted run survives a
    /// restart, so a run the file cannot take is refused rather than kept in memory.
    /// </summary>
    /// <exception cref="HistoryFullException">The data directory is full; nothing was stored.</exception>
    /// <exception cref="RunStoreException">The write failed; nothing was stored.</exception>
    public void Add(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (json, crc) = StoredRow.Encode(record);
        try
        {
            _file.Write($"adding run '{record.Id}'", (connection, transaction) => Execute(connection, transaction, HistoryQueries.Insert, Row(record, json, crc)));
        }
        catch (RunStoreException e)
        {
            // A run whose id is taken is the caller's problem, not the file's.
            if (e.InnerException is not SqliteException { SqliteErrorCode: SqliteConstraint })
            {
                NoteOutage(e);
            }

            throw;
        }

        if (_pending.Count == 0)
        {
            NoteRecovered(0);
        }
    }

    /// <summary>
    /// Writes a run's new record in one transaction. When the file cannot take it, the record is kept in memory (it
    /// replaces an older one of the same run), readers of this process see it, and it is written once the file can be
    /// written again; the first such failure is logged once. Returns true when the record is on disk now.
    /// </summary>
    public bool Save(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (json, crc) = StoredRow.Encode(record);
        var entry = _pending.Keep(record, json, crc);
        try
        {
            _file.Write($"saving run '{record.Id}'", (connection, transaction) => Execute(connection, transaction, HistoryQueries.Save, Row(record, json, crc)));
        }
        catch (RunStoreException e)
        {
            NoteOutage(e);
            lock (_retryGate)
            {
                _retry.Start();
            }

            return false;
        }

        _pending.Written(entry);
        return true;
    }

    /// <summary>True when every record of the run saved so far is on disk.</summary>
    public bool IsWritten(string runId) => _pending.WhenWritten(runId).IsCompleted;

    /// <summary>Completes once every record of the run saved so far is on disk.</summary>
    public Task WhenWrittenAsync(string runId, CancellationToken cancellationToken = default) =>
        _pending.WhenWritten(runId).WaitAsync(cancellationToken);

    /// <summary>
    /// Hands an active run to <paramref name="owner"/>, but only if its owner is still the one recorded in
    /// <paramref name="run"/> (another instance may have taken it over meanwhile). Returns the record as stored, or null
    /// when the run changed hands or ended first.
    /// </summary>
    /// <exception cref="RunStoreException">The write failed; the run was not taken.</exception>
    public RunRecord? TryClaim(RunRecord run, string owner, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var claimed = run with { Owner = owner, UpdatedAt = now };
        var (json, crc) = StoredRow.Encode(claimed);
        var changed = _file.Write($"taking over run '{run.Id}'", (connection, transaction) => Execute(connection, transaction, HistoryQueries.Claim,
            ("$owner", owner), ("$updated", now.UtcTicks), ("$record", json), ("$crc", crc), ("$id", run.Id), ("$previous", run.Owner)));
        return changed == 1 ? claimed : null;
    }

    /// <summary>One run, or null: the record not written yet when there is one, else the file's.</summary>
    /// <exception cref="DamagedRecordException">The run's record in the file is damaged.</exception>
    public RunRecord? Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_pending.Get(id) is { } pending)
        {
            return pending;
        }

        var row = _file.Read($"reading run '{id}'", connection =>
        {
            using var command = Command(connection, HistoryQueries.Get(Current), ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? StoredRow.Read(reader) : null;
        });
        return row is null ? null : Decode(row);
    }

    /// <summary>A page of the history, newest first (by creation time, then id).</summary>
    /// <exception cref="DamagedRecordException">A record the page holds is damaged.</exception>
    public RunPage Query(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, RunQuery.MaxLimit);

        var page = ReadPage(query);
        // A run of this process whose record is not written yet may have left the page (it no longer matches): the
        // page is filled from further on, so a short page always means there is no more.
        while (page.Runs.Count < query.Limit && page.Next is { } next)
        {
            var more = ReadPage(query with { Limit = query.Limit - page.Runs.Count, After = next });
            page = new RunPage([.. page.Runs, .. more.Runs], more.Next);
        }

        return page;
    }

    // One read of the file, with the records not written yet in their place.
    private RunPage ReadPage(RunQuery query)
    {
        var rows = _file.Read("reading a page of the history", connection => StoredRow.ReadMerged(connection, HistoryQueries.Page(query, Current), query.Limit + 1));
        var runs = rows.Take(query.Limit).Select(Decode).ToList();
        RunCursor? boundary = rows.Count > query.Limit ? new RunCursor(rows[^1].CreatedTicks, rows[^1].Id) : null;
        var pending = _pending.Snapshot();
        if (pending.Count == 0)
        {
            return new RunPage(runs, boundary is null ? null : RunCursor.Of(runs[^1]));
        }

        var matches = pending.Select(e => e.Record)
            .Where(r => HistoryQueries.Matches(query, r) && (query.After is not { } after || PageMerge.Compare(RunCursor.Of(r), after) < 0));
        return PageMerge.Merge(runs, boundary, pending.Select(e => e.Record.Id).ToHashSet(StringComparer.Ordinal), matches, query.Limit);
    }

    /// <summary>
    /// The page <see cref="Query"/> gives, as the API's JSON: a record whose checksum holds is the history's JSON of the
    /// run exactly as it was written, which is also the API's, so it is copied as it is rather than read into an object
    /// and written again (a page of a thousand runs is a megabyte). A record of an older format (no checksum), or one
    /// kept in memory, is read and written.
    /// </summary>
    /// <exception cref="DamagedRecordException">A record the page holds is damaged.</exception>
    public RunJsonPage QueryJson(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, RunQuery.MaxLimit);
        if (_pending.Count > 0)
        {
            var page = Query(query);
            return new RunJsonPage([.. page.Runs.Select(r => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(RunRecordJson.Serialize(r)))], page.Next);
        }

        var rows = _file.Read("reading a page of the history", connection => StoredRow.ReadMerged(connection, HistoryQueries.Page(query, Current), query.Limit + 1));
        var records = new List<ReadOnlyMemory<byte>>(Math.Min(rows.Count, query.Limit));
        foreach (var row in rows.Take(query.Limit))
        {
            records.Add(row.Checksum is { } crc && RecordChecksum.Of(row.Record) == crc && row.IsFiledUnder()
                ? row.Record
                : Encoding.UTF8.GetBytes(RunRecordJson.Serialize(Decode(row))));
        }

        return new RunJsonPage(records, rows.Count > query.Limit ? new RunCursor(rows[query.Limit - 1].CreatedTicks, rows[query.Limit - 1].Id) : null);
    }

    /// <summary>
    /// How many runs <paramref name="pipeline"/> had, how many ended Failed or TimedOut, and its newest run: two reads of
    /// one row each (the pipeline's counts, which the file keeps in the transaction of every run's write, and the newest
    /// entry of the pipeline's index), whatever the size of the history.
    /// </summary>
    public PipelineSummary Summarize(string pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        var pending = _pending.Snapshot().Where(e => e.Record.Pipeline == pipeline).Select(e => e.Record).ToList();
        var (runs, failed, newest, stored) = _file.Read($"summarizing pipeline '{pipeline}'", connection =>
        {
            long runs = 0, failed = 0;
            using (var counts = Command(connection, HistoryQueries.Counts, ("$pipeline", pipeline)))
            using (var reader = counts.ExecuteReader())
            {
                if (reader.Read())
                {
                    runs = reader.GetInt64(0);
                    failed = reader.GetInt64(1);
                }
            }

            StoredRow? newest;
            using (var command = Command(connection, HistoryQueries.Newest, ("$pipeline", pipeline)))
            using (var reader = command.ExecuteReader())
            {
                newest = reader.Read() ? StoredRow.Read(reader) : null;
            }

            // The runs of this pipeline with a record not written yet, as the file has them.
            var stored = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var record in pending)
            {
                using var state = Command(connection, HistoryQueries.State, ("$id", record.Id));
                stored[record.Id] = state.ExecuteScalar() as string;
            }

            return (runs, failed, newest, stored);
        });

        foreach (var record in pending)
        {
            var before = stored[record.Id];
            runs += before is null ? 1 : 0;
            failed += (IsFailed(record.State.ToString()) ? 1 : 0) - (before is not null && IsFailed(before) ? 1 : 0);
        }

        var latest = newest is null ? null : _pending.Get(newest.Id) ?? Decode(newest);
        foreach (var record in pending)
        {
            if (latest is null || PageMerge.Compare(RunCursor.Of(record), RunCursor.Of(latest)) > 0)
            {
                latest = record;
            }
        }

        return new PipelineSummary(pipeline, runs, failed, latest);
    }

    /// <summary>The runs whose last stored state is not terminal, oldest first, whoever owns them: their ids and owners, from the partial index of active runs alone.</summary>
    public IReadOnlyList<(string Id, string? Owner)> ActiveOwners() =>
        _file.Read("reading the active runs", connection =>
        {
            var result = new List<(string, string?)>();
            using var command = Command(connection, HistoryQueries.ActiveOwners);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }

            return result;
        });

    /// <summary>
    /// Reads every active run's record, as a start does: the ones that cannot be read are reported (once each, by run
    /// and file) and returned; nothing is written.
    /// </summary>
    public IReadOnlyList<DamagedRecordException> CheckActive()
    {
        var rows = _file.Read("reading the active runs", connection =>
        {
            var result = new List<StoredRow>();
            using var command = Command(connection, HistoryQueries.ActiveRecords);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(StoredRow.Read(reader));
            }

            return result;
        });
        var damaged = new List<DamagedRecordException>();
        foreach (var row in rows)
        {
            try
            {
                Decode(row);
            }
            catch (DamagedRecordException e)
            {
                damaged.Add(e);
            }
        }

        return damaged;
    }

    /// <summary>True when a run already has this id or this job name.</summary>
    public bool IsTaken(string id, string jobName) =>
        _pending.Get(id) is not null || _file.Read("checking a new run's id", connection =>
        {
            using var command = Command(connection, HistoryQueries.IsTaken, ("$id", id), ("$jobName", jobName));
            return command.ExecuteScalar() is not null;
        });

    /// <summary>Tries once to write every record kept in memory; returns how many runs still have one.</summary>
    public int WriteUnwritten()
    {
        lock (_retryGate)
        {
            TryWritePending();
            return _pending.Count;
        }
    }

    /// <summary>
    /// One line naming the runs whose records are still not written (none when all are), for the end of a process:
    /// the next Submitter on the data directory takes those runs over and follows their jobs again.
    /// </summary>
    public string? DescribeUnwritten()
    {
        var pending = _pending.Snapshot();
        return pending.Count == 0 ? null
            : $"{pending.Count} runs' records could not be written to {FilePath} yet ({_outage ?? "the file could not be written"}): "
              + $"{string.Join(", ", pending.Select(e => $"{e.Record.Id} ({e.Record.State})"))}. "
              + "The next Submitter on this data directory takes these runs over and follows their jobs again.";
    }

    /// <summary>Moves everything from the write-ahead log into the database file; never waits for other Submitter processes.</summary>
    /// <exception cref="RunStoreException">The file could not be written.</exception>
    public void Flush() => _file.Flush();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _retry.DisposeAsync().ConfigureAwait(false);
    }

    private bool Current => _file.Version == HistorySchema.Version;


    private static bool IsFailed(string state) => state is nameof(RunState.Failed) or nameof(RunState.TimedOut);

    private async Task RetryAsync(TimeProvider time, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(RetryInterval, time, stopping).ConfigureAwait(false);
            lock (_retryGate)
            {
                TryWritePending();
                if (_pending.Count == 0)
                {
                    _retry.Idle();
                    return;
                }
            }
        }
    }

    // Writes the records kept in memory in one transaction. A record saved meanwhile replaced its entry and is written by
    // its own save (or by the next attempt): an entry is forgotten only if it is still its run's newest.
    private void TryWritePending()
    {
        var entries = _pending.Snapshot();
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            _file.Write("writing the records kept in memory", (connection, transaction) =>
            {
                foreach (var entry in entries)
                {
                    Execute(connection, transaction, HistoryQueries.Save, Row(entry.Record, entry.Json, entry.Checksum));
                }

                return 0;
            });
        }
        catch (RunStoreException e)
        {
            NoteOutage(e);
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        foreach (var entry in entries)
        {
            _pending.Written(entry);
        }

        NoteRecovered(entries.Count);
    }

    private void NoteRecovered(int written)
    {
        if (Interlocked.Exchange(ref _outage, null) is not null)
        {
            _logger.LogInformation("The run history {File} takes writes again; records kept in memory and now written: {Count}", FilePath, written);
        }
    }

    // The first failure of an outage is logged; the rest of it is quiet.
    private void NoteOutage(RunStoreException e)
    {
        var reason = e is HistoryFullException full
            ? $"the data directory {full.DataDirectory} has no room, {HistoryFullException.Describe(full.FreeBytes)}"
            : e.InnerException?.Message ?? e.Message;
        if (Interlocked.CompareExchange(ref _outage, reason, null) is null)
        {
            _logger.LogWarning(
                "The run history {File} cannot be written ({Reason}): new runs are refused, and the records of runs already accepted are kept in memory and written as soon as it can be written again",
                FilePath, reason);
        }
    }

    private static (string, object?)[] Row(RunRecord record, string json, long crc) =>
    [
        ("$id", record.Id), ("$pipeline", record.Pipeline), ("$jobName", record.JobName), ("$state", record.State.ToString()),
        ("$created", record.CreatedAt.UtcTicks), ("$updated", record.UpdatedAt.UtcTicks), ("$record", json), ("$crc", crc), ("$owner", record.Owner),
    ];

    /// <summary>Reads a stored record, reporting it (once per run) and throwing when it is damaged.</summary>
    private RunRecord Decode(StoredRow row)
    {
        if (row.TryRead(out var record, out var reason))
        {
            return record;
        }

        var damaged = new DamagedRecordException(FilePath, row.Id, reason);
        if (_reportedDamage.TryAdd(row.Id, 0))
        {
            _logger.LogError("{Message}", damaged.Message);
        }

        throw damaged;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, HistoryQueries.Statement statement, params (string, object?)[] parameters)
    {
        using var command = HistoryFile.Command(connection, transaction, statement.Sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, HistoryQueries.Statement statement, params (string, object?)[] parameters) =>
        HistoryFile.Command(connection, null, statement.Sql, [.. statement.Parameters ?? [], .. parameters]);
}
