using System.Globalization;
using System.Text;
using System.Text.Json;
using FlinkBeam.Submitter.Runs;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The durable run history: one SQLite file (<c>runs.db</c>) in the data directory, in WAL mode, one row per run
/// holding the <see cref="RunRecord"/> as JSON beside indexed columns. Every <see cref="Save"/> is its own
/// transaction and writes are serialized. A file that is not an intact run history is reported and never written to.
/// </summary>
public sealed class RunStore : IDisposable
{
    public const string FileName = "runs.db";

    // "FBSR": marks the file as a Submitter run history.
    private const int ApplicationId = 0x46425352;
    private const int SchemaVersion = 1;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private bool _disposed;

    private RunStore(string filePath, SqliteConnection connection)
    {
        FilePath = filePath;
        _connection = connection;
    }

    /// <summary>Absolute path of the SQLite file.</summary>
    public string FilePath { get; }

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

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = exists ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());

        try
        {
            connection.Open();
            // Checks come before anything that writes (journal mode, schema), so a damaged file stays byte for byte as it was.
            Verify(connection, filePath);
            Execute(connection, "PRAGMA journal_mode=WAL;");
            // NORMAL in WAL mode: a committed transition survives a crash of the Submitter; only an OS crash can lose the last ones.
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            EnsureSchema(connection);
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

        return new RunStore(filePath, connection);
    }

    /// <summary>Inserts or replaces the run's row in one transaction.</summary>
    /// <exception cref="RunStoreException">The write failed; nothing was changed.</exception>
    public void Save(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = RunRecordJson.Serialize(record);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var transaction = _connection.BeginTransaction();
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record)
                    VALUES ($id, $pipeline, $jobName, $state, $created, $updated, $record)
                    ON CONFLICT(id) DO UPDATE SET
                        state = excluded.state, updated_ticks = excluded.updated_ticks, record = excluded.record;
                    """;
                command.Parameters.AddWithValue("$id", record.Id);
                command.Parameters.AddWithValue("$pipeline", record.Pipeline);
                command.Parameters.AddWithValue("$jobName", record.JobName);
                command.Parameters.AddWithValue("$state", record.State.ToString());
                command.Parameters.AddWithValue("$created", record.CreatedAt.UtcTicks);
                command.Parameters.AddWithValue("$updated", record.UpdatedAt.UtcTicks);
                command.Parameters.AddWithValue("$record", json);
                command.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new RunStoreException(FilePath, $"saving run '{record.Id}' failed: {ex.Message}", ex);
            }
        }
    }

    /// <summary>One run, or null.</summary>
    public RunRecord? Get(string id)
    {
        var rows = Query("SELECT id, record FROM runs WHERE id = $id;", ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Every run, newest first.</summary>
    public IReadOnlyList<RunRecord> LoadAll() =>
        Query("SELECT id, record FROM runs ORDER BY created_ticks DESC, rowid DESC;");

    /// <summary>Runs whose last stored state is not terminal (they were active when the Submitter stopped).</summary>
    public IReadOnlyList<RunRecord> LoadActive() =>
        Query($"SELECT id, record FROM runs WHERE state NOT IN ({TerminalStates}) ORDER BY created_ticks, rowid;");

    /// <summary>True when a run already uses this job name.</summary>
    public bool JobNameExists(string jobName)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM runs WHERE job_name = $name LIMIT 1;";
            command.Parameters.AddWithValue("$name", jobName);
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>Moves everything from the write-ahead log into the database file.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE);");
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

    private List<RunRecord> Query(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var result = new List<RunRecord>();
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value);
                }

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
            }
            catch (SqliteException ex)
            {
                throw new RunStoreException(FilePath, $"reading failed: {ex.Message} The file was left untouched.", ex);
            }

            return result;
        }
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

    private static void EnsureSchema(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS runs (
                id TEXT PRIMARY KEY NOT NULL,
                pipeline TEXT NOT NULL,
                job_name TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL,
                created_ticks INTEGER NOT NULL,
                updated_ticks INTEGER NOT NULL,
                record TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS runs_state ON runs (state);
            CREATE INDEX IF NOT EXISTS runs_created ON runs (created_ticks);
            PRAGMA application_id = {ApplicationId};
            PRAGMA user_version = {SchemaVersion};
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
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
