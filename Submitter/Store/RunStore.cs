using System.Globalization;
using System.Text;
using System.Text.Json;
using FlinkBeam.Submitter.Records;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The durable run history: one SQLite file (<c>runs.db</c>) in the data directory, in WAL mode, one row per run
/// holding the <see cref="RunRecord"/> as JSON beside indexed columns, and one row per live Submitter instance (its
/// lease). Several Submitter processes may share the file; every write is its own transaction. A file that is not an
/// intact run history is reported and never written to; a store opened with <see cref="TryOpenReadOnly"/> never writes.
/// </summary>
public sealed class RunStore : IDisposable
{
    public const string FileName = "runs.db";

    // "FBSR": marks the file as a Submitter run history.
    private const int ApplicationId = 0x46425352;

    // 1: runs. 2: the owner of each run and the instances table.
    private const int SchemaVersion = 2;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private bool _disposed;

    private RunStore(string filePath, SqliteConnection connection, bool readOnly)
    {
        FilePath = filePath;
        _connection = connection;
        IsReadOnly = readOnly;
    }

    /// <summary>Absolute path of the SQLite file.</summary>
    public string FilePath { get; }

    /// <summary>True for a store opened with <see cref="TryOpenReadOnly"/>.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Opens the history in <paramref name="dataDirectory"/>, creating the folder and an empty history when there is none.</summary>
    /// <exception cref="RunStoreException">The folder cannot be created, or the file exists but is not an intact run history.</exception>
    public static RunStore Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        var filePath = Path.Combine(directory, FileName);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException(filePath, $"the data directory cannot be created: {ex.Message}", ex);
        }

        var exists = File.Exists(filePath);
        if (exists)
        {
            CheckHeader(filePath);
        }

        return Connect(filePath, exists ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate, connection =>
        {
            // Checks come before anything that writes (journal mode, schema), so a damaged file stays byte for byte as it was.
            Verify(connection, filePath);
            Execute(connection, "PRAGMA journal_mode=WAL;");
            // NORMAL in WAL mode: a committed transition survives a crash of the Submitter; only an OS crash can lose the last ones.
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            EnsureSchema(connection);
        }, readOnly: false);
    }

    /// <summary>
    /// Opens an existing history for reading only: nothing is created, migrated or written. False when the folder
    /// exists but holds no history yet.
    /// </summary>
    /// <exception cref="RunStoreException">The folder is missing or unreadable, or the file is not an intact run history.</exception>
    public static bool TryOpenReadOnly(string dataDirectory, out RunStore? store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        store = null;
        var directory = Path.GetFullPath(dataDirectory);
        var filePath = Path.Combine(directory, FileName);
        if (File.Exists(directory))
        {
            throw new RunStoreException(filePath, $"the data directory {directory} is a file, not a folder.");
        }

        if (!Directory.Exists(directory))
        {
            throw new RunStoreException(filePath, $"there is no data directory {directory}; give the one the Submitter wrote with --data-dir.");
        }

        try
        {
            // Fails on a folder that cannot be listed, instead of reporting it as empty.
            using var entries = Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException(filePath, $"the data directory {directory} cannot be read: {ex.Message}", ex);
        }

        if (!File.Exists(filePath))
        {
            return false;
        }

        CheckHeader(filePath);
        // With no write-ahead log beside it, no Submitter is writing: read the file as it is, without the shared-memory
        // file SQLite would otherwise create (and, read-only, could not remove). With one, a writer is there: share it.
        var quiet = !File.Exists(filePath + "-wal") && !File.Exists(filePath + "-shm");
        var source = quiet ? new Uri(filePath).AbsoluteUri + "?immutable=1" : filePath;
        store = Connect(filePath, SqliteOpenMode.ReadOnly, connection => Verify(connection, filePath), readOnly: true, source);
        return true;
    }

    /// <summary>Inserts or replaces the run's row in one transaction.</summary>
    /// <exception cref="RunStoreException">The write failed; nothing was changed.</exception>
    public void Save(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = RunRecordJson.Serialize(record);
        Write($"saving run '{record.Id}'", (connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record, owner)
                VALUES ($id, $pipeline, $jobName, $state, $created, $updated, $record, $owner)
                ON CONFLICT(id) DO UPDATE SET
                    state = excluded.state, updated_ticks = excluded.updated_ticks, record = excluded.record, owner = excluded.owner;
                """,
                ("$id", record.Id), ("$pipeline", record.Pipeline), ("$jobName", record.JobName), ("$state", record.State.ToString()),
                ("$created", record.CreatedAt.UtcTicks), ("$updated", record.UpdatedAt.UtcTicks), ("$record", json),
                ("$owner", (object?)record.Owner ?? DBNull.Value));
            command.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>
    /// Hands an active run to <paramref name="owner"/>, but only if its owner is still the one recorded in
    /// <paramref name="run"/> (another instance may have taken it over meanwhile). Returns the record as stored, or null
    /// when the run changed hands or ended first.
    /// </summary>
    public RunRecord? TryClaim(RunRecord run, string owner, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var claimed = run with { Owner = owner, UpdatedAt = now };
        var json = RunRecordJson.Serialize(claimed);
        var changed = Write($"taking over run '{run.Id}'", (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"""
                UPDATE runs SET owner = $owner, updated_ticks = $updated, record = $record
                WHERE id = $id AND owner IS $previous AND state NOT IN ({TerminalStates});
                """,
                ("$owner", owner), ("$updated", now.UtcTicks), ("$record", json), ("$id", run.Id),
                ("$previous", (object?)run.Owner ?? DBNull.Value));
            return command.ExecuteNonQuery();
        });
        return changed == 1 ? claimed : null;
    }

    /// <summary>One run, or null.</summary>
    public RunRecord? Get(string id)
    {
        var rows = Query("SELECT id, record FROM runs WHERE id = $id;", ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>A page of the history, newest first (by creation time, then id).</summary>
    public RunPage Query(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, RunQuery.MaxLimit);

        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("$limit", query.Limit + 1) };
        if (query.After is { } after)
        {
            where.Add("(created_ticks < $afterTicks OR (created_ticks = $afterTicks AND id < $afterId))");
            parameters.Add(("$afterTicks", after.CreatedTicks));
            parameters.Add(("$afterId", after.Id));
        }

        if (query.States is { Count: > 0 } states)
        {
            where.Add($"state IN ({string.Join(", ", states.Distinct().Select(s => $"'{s}'"))})");
        }

        if (query.Pipeline is { } pipeline)
        {
            where.Add("pipeline = $pipeline");
            parameters.Add(("$pipeline", pipeline));
        }

        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var rows = Query($"SELECT id, record FROM runs {filter} ORDER BY created_ticks DESC, id DESC LIMIT $limit;", [.. parameters]);
        return rows.Count > query.Limit
            ? new RunPage(rows[..query.Limit], RunCursor.Of(rows[query.Limit - 1]))
            : new RunPage(rows, null);
    }

    /// <summary>How many runs <paramref name="pipeline"/> had, how many failed, and its newest run.</summary>
    public PipelineSummary Summarize(string pipeline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        var latest = Query(new RunQuery(1, Pipeline: pipeline)).Runs.FirstOrDefault();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Reading(() =>
            {
                using var command = Command(_connection, null,
                    "SELECT count(*), coalesce(sum(state IN ('Failed', 'TimedOut')), 0) FROM runs WHERE pipeline = $pipeline;", ("$pipeline", pipeline));
                using var reader = command.ExecuteReader();
                reader.Read();
                return new PipelineSummary(pipeline, reader.GetInt64(0), reader.GetInt64(1), latest);
            });
        }
    }

    /// <summary>Runs whose last stored state is not terminal, oldest first, whoever owns them.</summary>
    public IReadOnlyList<RunRecord> LoadActive() =>
        Query($"SELECT id, record FROM runs WHERE state NOT IN ({TerminalStates}) ORDER BY created_ticks, id;");

    /// <summary>True when a run already has this id or this job name.</summary>
    public bool IsTaken(string id, string jobName)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Reading(() =>
            {
                using var command = Command(_connection, null, "SELECT 1 FROM runs WHERE id = $id OR job_name = $name LIMIT 1;", ("$id", id), ("$name", jobName));
                return command.ExecuteScalar() is not null;
            });
        }
    }

    /// <summary>
    /// Records <paramref name="instance"/> as live in this data directory. With <paramref name="exclusive"/>, refuses
    /// (changing nothing) when another instance of the same role holds the directory and <paramref name="isLive"/> says
    /// it is still there; registrations of instances that are gone are removed.
    /// </summary>
    /// <exception cref="DataDirectoryInUseException">A live instance of the same role holds the directory.</exception>
    public void Register(SubmitterInstance instance, bool exclusive, Func<SubmitterInstance, bool> isLive)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(isLive);
        Write($"registering {instance}", (connection, transaction) =>
        {
            foreach (var other in ReadInstances(connection, transaction).Where(i => i.Id != instance.Id))
            {
                if (!isLive(other))
                {
                    using var remove = Command(connection, transaction, "DELETE FROM instances WHERE id = $id;", ("$id", other.Id));
                    remove.ExecuteNonQuery();
                }
                else if (exclusive && other.Role == instance.Role)
                {
                    throw new DataDirectoryInUseException(FilePath, Path.GetDirectoryName(FilePath)!, other);
                }
            }

            using var insert = Command(connection, transaction, """
                INSERT OR REPLACE INTO instances (id, role, host, pid, process_start, started_ticks, lease_ticks)
                VALUES ($id, $role, $host, $pid, $start, $started, $lease);
                """,
                ("$id", instance.Id), ("$role", instance.Role), ("$host", instance.Host), ("$pid", instance.ProcessId),
                ("$start", instance.ProcessStart), ("$started", instance.StartedAt.UtcTicks), ("$lease", instance.LeaseUntil.UtcTicks));
            insert.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>Extends an instance's lease; false when its registration is gone (another instance found it dead).</summary>
    public bool Renew(string instanceId, DateTimeOffset leaseUntil) =>
        Write("renewing a lease", (connection, transaction) =>
        {
            using var command = Command(connection, transaction, "UPDATE instances SET lease_ticks = $lease WHERE id = $id;",
                ("$lease", leaseUntil.UtcTicks), ("$id", instanceId));
            return command.ExecuteNonQuery();
        }) == 1;

    /// <summary>Removes an instance's registration (it stops).</summary>
    public void Unregister(string instanceId) =>
        Write("removing a registration", (connection, transaction) =>
        {
            using var command = Command(connection, transaction, "DELETE FROM instances WHERE id = $id;", ("$id", instanceId));
            return command.ExecuteNonQuery();
        });

    /// <summary>The registered instances, live or not.</summary>
    public IReadOnlyList<SubmitterInstance> Instances()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Reading(() => ReadInstances(_connection, null));
        }
    }

    /// <summary>Moves everything from the write-ahead log into the database file.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_disposed || IsReadOnly)
            {
                return;
            }

            try
            {
                // PASSIVE: never waits for, or blocks, other Submitter processes using the same file.
                Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (SqliteException ex)
            {
                throw new RunStoreException(FilePath, $"flushing the write-ahead log failed: {ex.Message}", ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private static string TerminalStates => string.Join(", ",
        Enum.GetValues<RunState>().Where(s => s.IsTerminal()).Select(s => $"'{s}'"));

    private static RunStore Connect(string filePath, SqliteOpenMode mode, Action<SqliteConnection> prepare, bool readOnly, string? source = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source ?? filePath,
            Mode = mode,
            Pooling = false,
            // Other Submitter processes may hold the write lock for a moment; wait for them rather than fail.
            DefaultTimeout = 30,
        }.ToString());

        try
        {
            connection.Open();
            prepare(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new RunStoreException(filePath, $"cannot be opened as a run history: {ex.Message} It was left untouched; move it away or choose another data directory.", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new RunStore(filePath, connection, readOnly);
    }

    private T Write<T>(string what, Func<SqliteConnection, SqliteTransaction, T> write)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsReadOnly)
            {
                throw new InvalidOperationException("This run history was opened read-only.");
            }

            try
            {
                // BEGIN IMMEDIATE: the write lock is taken first, so checks and writes of one call see no other writer in between.
                using var transaction = _connection.BeginTransaction(deferred: false);
                var result = write(_connection, transaction);
                transaction.Commit();
                return result;
            }
            catch (SqliteException ex)
            {
                throw new RunStoreException(FilePath, $"{what} failed: {ex.Message}", ex);
            }
        }
    }

    private List<RunRecord> Query(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Reading(() =>
            {
                var result = new List<RunRecord>();
                using var command = Command(_connection, null, sql, parameters);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    try
                    {
                        result.Add(RunRecordJson.Deserialize(reader.GetString(1)));
                    }
                    catch (JsonException ex)
                    {
                        throw new RunStoreException(FilePath, $"the record of run '{id}' is not readable: {ex.Message} The file was left untouched.", ex);
                    }
                }

                return result;
            });
        }
    }

    private T Reading<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SqliteException ex)
        {
            throw new RunStoreException(FilePath, $"reading failed: {ex.Message} The file was left untouched.", ex);
        }
    }

    private static List<SubmitterInstance> ReadInstances(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var instances = new List<SubmitterInstance>();
        using var command = Command(connection, transaction,
            "SELECT id, role, host, pid, process_start, started_ticks, lease_ticks FROM instances ORDER BY started_ticks;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            instances.Add(new SubmitterInstance(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4),
                new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero), new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero)));
        }

        return instances;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static void CheckHeader(string filePath)
    {
        byte[] header;
        long length;
        try
        {
            using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = stream.Length;
            header = new byte[SqliteHeader.Length];
            var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < header.Length)
            {
                Array.Resize(ref header, read);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException(filePath, $"cannot be read: {ex.Message}", ex);
        }

        // SQLite treats an empty file as an empty database; anything else must carry SQLite's header.
        if (length > 0 && !header.AsSpan().SequenceEqual(SqliteHeader))
        {
            throw new RunStoreException(filePath,
                $"is not a SQLite database (its first bytes are {Printable(header)}). It was left untouched; move it away or choose another data directory.");
        }
    }

    private static void Verify(SqliteConnection connection, string filePath)
    {
        var check = (string?)Scalar(connection, "PRAGMA quick_check(1);");
        if (!string.Equals(check, "ok", StringComparison.Ordinal))
        {
            throw new RunStoreException(filePath, $"is damaged (SQLite's integrity check says: {check}). It was left untouched; move it away or choose another data directory.");
        }

        var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        var tables = Convert.ToInt32(Scalar(connection, "SELECT count(*) FROM sqlite_schema;"), CultureInfo.InvariantCulture);
        if (applicationId == 0 && version == 0 && tables == 0)
        {
            return;
        }

        if (applicationId != ApplicationId)
        {
            throw new RunStoreException(filePath, "is a SQLite database but not a Submitter run history. It was left untouched; choose another data directory.");
        }

        if (version > SchemaVersion)
        {
            throw new RunStoreException(filePath, $"was written by a newer Submitter (history format {version}; this one reads {SchemaVersion}). It was left untouched.");
        }
    }

    /// <summary>Creates the schema, or brings an older one up to <see cref="SchemaVersion"/>, in one transaction.</summary>
    private static void EnsureSchema(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;", transaction), CultureInfo.InvariantCulture);
        if (version < SchemaVersion)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = (version == 1 ? "ALTER TABLE runs ADD COLUMN owner TEXT;" : """
                CREATE TABLE IF NOT EXISTS runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    pipeline TEXT NOT NULL,
                    job_name TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL,
                    created_ticks INTEGER NOT NULL,
                    updated_ticks INTEGER NOT NULL,
                    record TEXT NOT NULL,
                    owner TEXT);
                CREATE INDEX IF NOT EXISTS runs_state ON runs (state);
                CREATE INDEX IF NOT EXISTS runs_created ON runs (created_ticks);
                """) + $"""
                CREATE INDEX IF NOT EXISTS runs_pipeline ON runs (pipeline, created_ticks);
                CREATE TABLE IF NOT EXISTS instances (
                    id TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    process_start INTEGER NOT NULL,
                    started_ticks INTEGER NOT NULL,
                    lease_ticks INTEGER NOT NULL);
                PRAGMA application_id = {ApplicationId};
                PRAGMA user_version = {SchemaVersion};
                """;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string Printable(byte[] bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return $"\"{text}\"";
    }
}
