using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The SQLite file of a data directory (<c>runs.db</c>), which the run history (<see cref="RunHistory"/>) and the
/// registry of Submitter instances (<see cref="InstanceRegistry"/>) share: opened and checked, created or upgraded,
/// then written through one connection (writes are serialized and each is one transaction) and read through a pool of
/// read-only connections, so in WAL mode no reader waits for a writer or for another reader. Several Submitter
/// processes may share the file.
/// </summary>
/// <remarks>
/// Opening reads what it needs and no more, so it costs the same for ten runs or a million: SQLite's header, the
/// format's marks (application id, version) and the list of tables, indexes and triggers. Records are checked as they
/// are read (<see cref="RunHistory"/>). A file that is not an intact run history is reported and never written to; a
/// new file is made under a temporary name and moved into place once its schema is committed, so a start that fails
/// (a full disk) leaves no empty <c>runs.db</c> behind.
/// </remarks>
public sealed class HistoryFile : IDisposable
{
    public const string FileName = "runs.db";

    // Idle read-only connections kept for the next reader; more are opened while many read at once.
    private const int IdleReaders = 4;

    // The page cache of each read-only connection, in KiB (SQLite's default is 2 MiB).
    private const int ReaderCacheKiB = 256;

    private readonly Lock _writeGate = new();
    private readonly SqliteConnection? _writer;
    private readonly string _readSource;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private int _disposed;

    private HistoryFile(string filePath, SqliteConnection? writer, string readSource, int version)
    {
        FilePath = filePath;
        DataDirectory = Path.GetDirectoryName(filePath)!;
        _writer = writer;
        _readSource = readSource;
        Version = version;
    }

    /// <summary>Absolute path of the SQLite file.</summary>
    public string FilePath { get; }

    /// <summary>The folder that holds it.</summary>
    public string DataDirectory { get; }

    /// <summary>True for a file opened with <see cref="TryOpenReadOnly"/>.</summary>
    public bool IsReadOnly => _writer is null;

    /// <summary>The file's format (<see cref="HistorySchema.Version"/> once opened for writing; an older one may be read as it is).</summary>
    public int Version { get; }

    /// <summary>
    /// Opens the history in <paramref name="dataDirectory"/> for reading and writing, creating the folder and the file
    /// when there is none and bringing an older format up to date (once, in one transaction, logged).
    /// </summary>
    /// <exception cref="HistoryFullException">The file cannot be created or upgraded for lack of space; nothing was left behind.</exception>
    /// <exception cref="RunStoreException">The folder cannot be created, or the file exists but is not an intact run history.</exception>
    public static HistoryFile Open(string dataDirectory, HistoryLimits? limits = null, ILogger? logger = null)
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

        if (!HasContent(filePath))
        {
            Create(filePath, limits);
        }

        HistoryChecks.Header(filePath);
        var writer = Connect(filePath, SqliteOpenMode.ReadWrite);
        try
        {
            Limit(writer, limits);
            // Checks come before anything that writes (journal mode, upgrade), so a damaged file stays byte for byte as it was.
            var version = HistoryChecks.Format(writer, filePath);
            if (version == HistorySchema.Version)
            {
                HistoryChecks.Objects(writer, filePath);
            }

            Execute(writer, "PRAGMA journal_mode=WAL;");
            // NORMAL in WAL mode: a committed transition survives a crash of the Submitter; only an OS crash can lose the last ones.
            Execute(writer, "PRAGMA synchronous=NORMAL;");
            if (version < HistorySchema.Version)
            {
                Upgrade(writer, filePath, logger);
                HistoryChecks.Objects(writer, filePath);
            }

            return new HistoryFile(filePath, writer, filePath, HistorySchema.Version);
        }
        catch (SqliteException ex)
        {
            writer.Dispose();
            throw Failure(filePath, "opening", ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing history for reading only: nothing is created, upgraded or written. False when the folder exists
    /// but holds no history yet (or only the empty file an interrupted first start of an older Submitter left).
    /// </summary>
    /// <exception cref="RunStoreException">The folder is missing or unreadable, or the file is not an intact run history.</exception>
    public static bool TryOpenReadOnly(string dataDirectory, [NotNullWhen(true)] out HistoryFile? file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        file = null;
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

        if (!HasContent(filePath))
        {
            return false;
        }

        HistoryChecks.Header(filePath);
        // With no write-ahead log beside it, no Submitter is writing: read the file as it is, without the shared-memory
        // file SQLite would otherwise create (and, read-only, could not remove). With one, a writer is there: share it.
        var quiet = !File.Exists(filePath + "-wal") && !File.Exists(filePath + "-shm");
        var source = quiet ? new Uri(filePath).AbsoluteUri + "?immutable=1" : filePath;
        var connection = Connect(source, SqliteOpenMode.ReadOnly);
        try
        {
            var version = HistoryChecks.Format(connection, filePath);
            if (version == 0)
            {
                connection.Dispose();
                return false;
            }

            if (version == HistorySchema.Version)
            {
                HistoryChecks.Objects(connection, filePath);
            }

            file = new HistoryFile(filePath, writer: null, source, version);
            file._readers.Add(connection);
            return true;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Failure(filePath, "opening", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The bytes free to this process on the data directory's file system, or null when that cannot be told.</summary>
    public long? FreeBytes() => FreeBytesOf(FilePath);

    /// <summary>Moves everything from the write-ahead log into the database file; never waits for other Submitter processes.</summary>
    /// <exception cref="RunStoreException">The file could not be written.</exception>
    public void Flush()
    {
        if (_writer is null)
        {
            return;
        }

        lock (_writeGate)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            try
            {
                // PASSIVE: never waits for, or blocks, other Submitter processes using the same file.
                Execute(_writer, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (SqliteException ex)
            {
                throw Failure("flushing the write-ahead log", ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_writeGate)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _writer?.Dispose();
        }

        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    /// <summary>Runs <paramref name="write"/> in one transaction that holds the write lock from its start (checks and writes of one call see no other writer in between).</summary>
    /// <exception cref="HistoryFullException">There is no room for the write; nothing was written.</exception>
    /// <exception cref="RunStoreException">The write failed; nothing was written.</exception>
    internal T Write<T>(string what, Func<SqliteConnection, SqliteTransaction, T> write)
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("This run history was opened read-only.");
        }

        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            try
            {
                using var transaction = _writer.BeginTransaction(deferred: false);
                var result = write(_writer, transaction);
                transaction.Commit();
                return result;
            }
            catch (SqliteException ex)
            {
                throw Failure(what, ex);
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> on a read-only connection of its own (from the pool), beside any writer and other readers.</summary>
    /// <exception cref="RunStoreException">The read failed; the file was left untouched.</exception>
    internal T Read<T>(string what, Func<SqliteConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        SqliteConnection? connection = null;
        try
        {
            connection = _readers.TryTake(out var idle) ? idle : OpenReader();
            return read(connection);
        }
        catch (SqliteException ex)
        {
            throw Failure(what, ex);
        }
        finally
        {
            if (connection is not null)
            {
                if (Volatile.Read(ref _disposed) == 1 || _readers.Count >= IdleReaders)
                {
                    connection.Dispose();
                }
                else
                {
                    _readers.Add(connection);
                }
            }
        }
    }

    // A reader's own page cache is kept small: the pages it reads are in the system's file cache anyway, and a reader
    // kept for the next one should not hold megabytes of a large history.
    private SqliteConnection OpenReader()
    {
        var connection = Connect(_readSource, SqliteOpenMode.ReadOnly);
        try
        {
            Execute(connection, $"PRAGMA cache_size = -{ReaderCacheKiB};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
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

    private RunStoreException Failure(string what, SqliteException ex) => Failure(FilePath, what, ex);

    private static RunStoreException Failure(string filePath, string what, SqliteException ex) => ex.SqliteErrorCode switch
    {
        SqliteErrorCodes.Full => new HistoryFullException(filePath, Path.GetDirectoryName(filePath)!, FreeBytesOf(filePath), what, ex),
        SqliteErrorCodes.Corrupt or SqliteErrorCodes.NotADatabase => new RunStoreException(filePath,
            $"{what} failed: the file is damaged ({ex.Message}). It was left as it is; move it away or choose another data directory.", ex),
        _ => new RunStoreException(filePath, $"{what} failed: {ex.Message}", ex),
    };

    private static long? FreeBytesOf(string filePath)
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(filePath)!).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    // A missing file, or the empty one an interrupted first start of an older Submitter left: no history yet.
    private static bool HasContent(string filePath)
    {
        var info = new FileInfo(filePath);
        return info.Exists && info.Length > 0;
    }

    /// <summary>Makes a new history under a temporary name and moves it into place once its schema is committed.</summary>
    private static void Create(string filePath, HistoryLimits? limits)
    {
        var temporary = $"{filePath}.{Guid.NewGuid():N}.new";
        try
        {
            using (var connection = Connect(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                Limit(connection, limits);
                // A rollback journal while it is made: a committed schema is in the file itself when it is moved.
                using var transaction = connection.BeginTransaction(deferred: false);
                Execute(connection, HistorySchema.Upgrade(0), transaction);
                transaction.Commit();
            }

            if (File.Exists(filePath) && new FileInfo(filePath).Length == 0)
            {
                File.Delete(filePath);
            }

            try
            {
                File.Move(temporary, filePath, overwrite: false);
            }
            catch (IOException) when (HasContent(filePath))
            {
                // Another Submitter made it meanwhile: that one is used.
            }
        }
        catch (SqliteException ex)
        {
            throw Failure(filePath, "creating the history", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException(filePath, $"cannot be created: {ex.Message}", ex);
        }
        finally
        {
            foreach (var leftover in new[] { temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm" })
            {
                TryDelete(leftover);
            }
        }
    }

    /// <summary>Brings a file of an older format up to date in one transaction; a failure leaves it as it was.</summary>
    private static void Upgrade(SqliteConnection connection, string filePath, ILogger? logger)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        // Read again under the write lock: another Submitter may have upgraded it meanwhile.
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;", transaction), CultureInfo.InvariantCulture);
        if (version >= HistorySchema.Version)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        long runs = 0;
        if (version > 0)
        {
            runs = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM runs;", transaction), CultureInfo.InvariantCulture);
            logger?.LogWarning(
                "Upgrading the run history {File} ({Runs} runs) from format {From} to {To}: its page-ordered indexes and per-pipeline counts are built once; this start takes longer",
                filePath, runs, version, HistorySchema.Version);
        }

        Execute(connection, HistorySchema.Upgrade(version), transaction);
        transaction.Commit();
        if (version > 0)
        {
            logger?.LogInformation("Upgraded the run history {File} ({Runs} runs) to format {To} in {Seconds:0.0} s",
                filePath, runs, HistorySchema.Version, watch.Elapsed.TotalSeconds);
        }
    }

    private static SqliteConnection Connect(string source, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source,
            Mode = mode,
            // The pool above keeps read connections; each connection closes its file when disposed.
            Pooling = false,
            // Other Submitter processes may hold the write lock for a moment; wait for them rather than fail.
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new RunStoreException(StripUri(source),
                $"cannot be opened as a run history: {ex.Message} It was left untouched; move it away or choose another data directory.", ex);
        }
    }

    private static void Limit(SqliteConnection connection, HistoryLimits? limits)
    {
        if (limits?.MaxPageCount is { } pages)
        {
            Execute(connection, $"PRAGMA max_page_count = {pages.ToString(CultureInfo.InvariantCulture)};");
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, transaction, sql);
        return command.ExecuteScalar();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is never mistaken for the history.
        }
    }

    private static string StripUri(string source) =>
        source.StartsWith("file:", StringComparison.Ordinal) ? new Uri(source.Split('?')[0]).LocalPath : source;

    /// <summary>SQLite's primary result codes the history tells apart.</summary>
    private static class SqliteErrorCodes
    {
        public const int Corrupt = 11;
        public const int Full = 13;
        public const int NotADatabase = 26;
    }
}
