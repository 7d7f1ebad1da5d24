using System.Text;
using System.Text.Json;
using FlinkBeam.Submitter.Records;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// A run's row as read (the columns of <see cref="HistoryQueries"/>): its position (creation time, id), the state it is
/// filed under, its record's bytes and the checksum written beside them (null for records of older formats).
/// </summary>
internal sealed record StoredRow(string Id, string State, long CreatedTicks, byte[] Record, long? Checksum)
{
    public static StoredRow Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3), reader.IsDBNull(4) ? null : reader.GetInt64(4));

    /// <summary>A record as it is written: its JSON and the checksum of that JSON.</summary>
    public static (string Json, long Checksum) Encode(RunRecord record)
    {
        var json = RunRecordJson.Serialize(record);
        return (json, RecordChecksum.Of(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>
    /// The rows of a page's statements, merged in page order as they are read: each reader advances only when its row
    /// is taken, so no more than one row per statement beyond the page is ever read. The last of <paramref name="take"/>
    /// rows only tells whether more follow: its record is not read.
    /// </summary>
    public static List<StoredRow> ReadMerged(SqliteConnection connection, IReadOnlyList<HistoryQueries.Statement> statements, int take)
    {
        var commands = new List<SqliteCommand>();
        var readers = new List<SqliteDataReader>();
        try
        {
            foreach (var statement in statements)
            {
                var command = HistoryFile.Command(connection, null, statement.Sql, [.. statement.Parameters ?? []]);
                commands.Add(command);
                readers.Add(command.ExecuteReader());
            }

            var heads = readers.Select(r => r.Read()).ToArray();
            var rows = new List<StoredRow>(Math.Min(take, 64));
            while (rows.Count < take)
            {
                var best = -1;
                for (var i = 0; i < readers.Count; i++)
                {
                    if (heads[i] && (best < 0 || Newer(readers[i], readers[best])))
                    {
                        best = i;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                var reader = readers[best];
                rows.Add(rows.Count == take - 1 ? new StoredRow(reader.GetString(0), "", reader.GetInt64(2), [], null) : Read(reader));
                heads[best] = reader.Read();
            }

            return rows;
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }

            foreach (var command in commands)
            {
                command.Dispose();
            }
        }

        static bool Newer(SqliteDataReader a, SqliteDataReader b)
        {
            var byTime = a.GetInt64(2).CompareTo(b.GetInt64(2));
            return byTime != 0 ? byTime > 0 : string.CompareOrdinal(a.GetString(0), b.GetString(0)) > 0;
        }
    }

    /// <summary>
    /// Reads the record after checking it: its checksum (when it has one), its JSON, and that it names the run, creation
    /// time and state it is filed under. False, with what is wrong, for a damaged record.
    /// </summary>
    public bool TryRead(out RunRecord record, out string reason)
    {
        record = null!;
        if (Checksum is { } crc && RecordChecksum.Of(Record) != crc)
        {
            reason = "its checksum does not match its content";
            return false;
        }

        try
        {
            record = RunRecordJson.Deserialize(Record);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            reason = $"its JSON cannot be read: {e.Message}";
            return false;
        }

        reason = "its JSON disagrees with the columns it is filed under";
        return record.Id == Id && record.CreatedAt.UtcTicks == CreatedTicks && record.State.ToString() == State;
    }

    /// <summary>Whether the record names the run and the state it is filed under, as the history's JSON spells them (read as bytes, not parsed).</summary>
    public bool IsFiledUnder() =>
        Record.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"id\":\"{Id}\",")) >= 0
        && Record.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"state\":\"{State}\",")) >= 0;
}
