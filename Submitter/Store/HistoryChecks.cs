using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// What opening a history reads to tell an intact Submitter run history from anything else, before anything is written:
/// SQLite's header, the format's marks (application id and version), and the list of the format's tables, indexes and
/// triggers. None of them reads the runs, so they cost the same whatever the history's size. Each failure names the file
/// and says it was left untouched.
/// </summary>
internal static class HistoryChecks
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>The file's format, after checking it is a run history this Submitter can read; 0 for a database without any schema yet.</summary>
    public static int Format(SqliteConnection connection, string filePath)
    {
        var applicationId = Convert.ToInt32(HistoryFile.Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(HistoryFile.Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (applicationId == 0 && version == 0
            && Convert.ToInt32(HistoryFile.Scalar(connection, "SELECT count(*) FROM sqlite_schema;"), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        if (applicationId != HistorySchema.ApplicationId)
        {
            throw new RunStoreException(filePath, "is a SQLite database but not a Submitter run history. It was left untouched; choose another data directory.");
        }

        if (version > HistorySchema.Version)
        {
            throw new RunStoreException(filePath,
                $"was written by a newer Submitter (history format {version}; this one reads {HistorySchema.Version}). It was left untouched.");
        }

        return version;
    }

    /// <summary>Checks that the tables, indexes and triggers of the current format are all there (reading the schema, not the data).</summary>
    public static void Objects(SqliteConnection connection, string filePath)
    {
        var present = new HashSet<(string, string)>();
        using (var command = HistoryFile.Command(connection, null, "SELECT type, name FROM sqlite_schema;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var missing = HistorySchema.Objects.Where(o => !present.Contains(o)).Select(o => $"{o.Type} {o.Name}").ToList();
        if (missing.Count > 0)
        {
            throw new RunStoreException(filePath,
                $"is damaged: its {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. It was left untouched; move it away or choose another data directory.");
        }
    }

    public static void Header(string filePath)
    {
        byte[] header;
        try
        {
            using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
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

        if (!header.AsSpan().SequenceEqual(SqliteHeader))
        {
            throw new RunStoreException(filePath,
                $"is not a SQLite database (its first bytes are {Printable(header)}). It was left untouched; move it away or choose another data directory.");
        }
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
