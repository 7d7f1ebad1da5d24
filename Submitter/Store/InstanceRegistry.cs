using FlinkBeam.Submitter.Records;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The Submitter instances registered in a data directory (the <c>instances</c> table of <see cref="HistoryFile"/>):
/// what each is, where it runs and until when its lease holds. A run's owner is judged live or gone from these.
/// </summary>
public sealed class InstanceRegistry(HistoryFile file)
{
    /// <summary>Absolute path of the SQLite file.</summary>
    public string FilePath => file.FilePath;

    /// <summary>The data directory the registrations belong to.</summary>
    public string DataDirectory => file.DataDirectory;

    /// <summary>
    /// Records <paramref name="instance"/> as live in this data directory. With <paramref name="exclusive"/>, refuses
    /// (changing nothing) when another instance of the same role holds the directory and <paramref name="isLive"/> says
    /// it is still there; registrations of instances that are gone are removed.
    /// </summary>
    /// <exception cref="DataDirectoryInUseException">A live instance of the same role holds the directory.</exception>
    /// <exception cref="RunStoreException">The registration could not be written.</exception>
    public void Register(SubmitterInstance instance, bool exclusive, Func<SubmitterInstance, bool> isLive)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(isLive);
        file.Write($"registering {instance}", (connection, transaction) =>
        {
            foreach (var other in Read(connection, transaction).Where(i => i.Id != instance.Id))
            {
                if (!isLive(other))
                {
                    using var remove = HistoryFile.Command(connection, transaction, "DELETE FROM instances WHERE id = $id;", ("$id", other.Id));
                    remove.ExecuteNonQuery();
                }
                else if (exclusive && other.Role == instance.Role)
                {
                    throw new DataDirectoryInUseException(FilePath, DataDirectory, other);
                }
            }

            using var insert = HistoryFile.Command(connection, transaction, """
                INSERT OR REPLACE INTO instances (id, role, host, pid, process_start, started_ticks, lease_ticks)
                VALUES ($id, $role, $host, $pid, $start, $started, $lease);
                """,
                ("$id", instance.Id), ("$role", instance.Role), ("$host", instance.Host), ("$pid", instance.ProcessId),
                ("$start", instance.ProcessStart), ("$started", instance.StartedAt.UtcTicks), ("$lease", instance.LeaseUntil.UtcTicks));
            return insert.ExecuteNonQuery();
        });
    }

    /// <summary>Extends an instance's lease; false when its registration is gone (another instance found it dead).</summary>
    /// <exception cref="RunStoreException">The lease could not be written.</exception>
    public bool Renew(string instanceId, DateTimeOffset leaseUntil) =>
        file.Write("renewing a lease", (connection, transaction) =>
        {
            using var command = HistoryFile.Command(connection, transaction, "UPDATE instances SET lease_ticks = $lease WHERE id = $id;",
                ("$lease", leaseUntil.UtcTicks), ("$id", instanceId));
            return command.ExecuteNonQuery();
        }) == 1;

    /// <summary>Removes an instance's registration (it stops).</summary>
    /// <exception cref="RunStoreException">The registration could not be removed.</exception>
    public void Unregister(string instanceId) =>
        file.Write("removing a registration", (connection, transaction) =>
        {
            using var command = HistoryFile.Command(connection, transaction, "DELETE FROM instances WHERE id = $id;", ("$id", instanceId));
            return command.ExecuteNonQuery();
        });

    /// <summary>The registered instances, live or not, oldest first.</summary>
    public IReadOnlyList<SubmitterInstance> Instances() => file.Read("reading the registered instances", connection => Read(connection, null));

    private static List<SubmitterInstance> Read(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var instances = new List<SubmitterInstance>();
        using var command = HistoryFile.Command(connection, transaction,
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
}
