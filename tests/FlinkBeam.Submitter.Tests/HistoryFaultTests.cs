using System.Text;
using ApiJson = FlinkBeam.Submitter.Api.ApiJson;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// The history when its file fails it, on real files: records damaged on disk, a data directory that is full (a small
/// tmpfs filled up where the tests may mount one, SQLite's page limit otherwise), a first start that cannot finish.
/// </summary>
public sealed class HistoryFaultTests : IDisposable
{
    private static readonly DateTimeOffset T0 = RunHistoryTests.T0;
    private readonly string _directory = FakePipelineFiles.TempDirectory("history-faults");

    public void Dispose() => FakePipelineFiles.TryDeleteDirectory(_directory);

    [Fact]
    public void A_damaged_record_is_reported_by_run_and_file_when_read_is_never_rewritten_and_the_others_stay_readable()
    {
        var older = Record("0001aaaabbbbcccc", RunState.Succeeded, T0, "older run's line");
        var edited = Record("0002aaaabbbbcccc", RunState.Succeeded, T0.AddSeconds(1), "MARK-EDITED: a line whose text is changed on disk by something else");
        var broken = Record("0003aaaabbbbcccc", RunState.Running, T0.AddSeconds(2), "MARK-BROKEN: a line whose bytes are overwritten so it no longer parses") with { Owner = "gone" };
        using (var store = TestHistory.Open(_directory))
        {
            store.Save(older);
            store.Save(edited);
        }

        // A record of an older format has no checksum: it is checked by reading it.
        Execute($"""
            INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record, owner)
            VALUES ('{broken.Id}', '{broken.Pipeline}', '{broken.JobName}', 'Running', {broken.CreatedAt.UtcTicks}, {broken.CreatedAt.UtcTicks}, '{RunRecordJson.Serialize(broken)}', 'gone');
            """);
        // 37 bytes inside each record's JSON: printable text that still parses, and bytes that do not.
        var file = Path.Combine(_directory, HistoryFile.FileName);
        var bytes = File.ReadAllBytes(file);
        var editedAt = IndexOf(bytes, "MARK-EDITED");
        var brokenAt = IndexOf(bytes, "MARK-BROKEN");
        Encoding.ASCII.GetBytes(new string('x', 37)).CopyTo(bytes, editedAt);
        Encoding.ASCII.GetBytes("\"}],\u0001" + new string('#', 32)).CopyTo(bytes, brokenAt);
        File.WriteAllBytes(file, bytes);
        var damage = (Edited: bytes[editedAt..(editedAt + 37)], Broken: bytes[brokenAt..(brokenAt + 37)]);

        var logs = new EngineLogCapture();
        using (var store = TestHistory.Open(_directory, logger: new Logger<RunHistory>(logs)))
        {
            var error = Assert.Throws<DamagedRecordException>(() => store.Get(edited.Id));
            Assert.Equal((edited.Id, file), (error.RunId, error.FilePath));
            Assert.Equal($"Run history '{file}': the record of run '{edited.Id}' is damaged (its checksum does not match its content). "
                + "It was left as it is; the other runs can still be read.", error.Message);
            Assert.Throws<DamagedRecordException>(() => store.Get(edited.Id));

            // A page holding one fails naming it; pages around it do not.
            error = Assert.Throws<DamagedRecordException>(() => store.Query(new RunQuery()));
            Assert.Equal(broken.Id, error.RunId);
            Assert.StartsWith("its JSON cannot be read: ", error.Reason, StringComparison.Ordinal);
            Assert.Equal([older.Id], store.Query(new RunQuery(After: RunCursor.Of(edited))).Runs.Select(r => r.Id));
            Assert.Equal(older.Id, store.Get(older.Id)!.Id);
            Assert.Equal(broken.Id, Assert.Throws<DamagedRecordException>(() => store.Runs.QueryJson(new RunQuery())).RunId);
            Assert.Equal(edited.Id, Assert.Throws<DamagedRecordException>(() => store.Runs.QueryJson(new RunQuery(After: RunCursor.Of(broken)))).RunId);

            // A start reads the active runs: the damaged one is named.
            Assert.Equal([broken.Id], store.Runs.CheckActive().Select(d => d.RunId));

            // Other writes go on; the damaged records are not rewritten.
            store.Save(Record("0004aaaabbbbcccc", RunState.Succeeded, T0.AddSeconds(3), "a new run"));
            store.File.Flush();
        }

        bytes = File.ReadAllBytes(file);
        Assert.Equal(damage.Edited, bytes[IndexOf(bytes, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")..][..37]);
        Assert.True(IndexOf(bytes, Encoding.ASCII.GetString(damage.Broken)) >= 0);
        // Each damaged run is logged once, however often it is read.
        Assert.Equal([edited.Id, broken.Id], logs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message.Split('\'')[3]));
    }

    [Fact]
    public void A_first_start_that_cannot_write_the_schema_leaves_no_history_file_behind()
    {
        var data = Path.Combine(_directory, "data");

        var error = Assert.Throws<HistoryFullException>(() => HistoryFile.Open(data, new HistoryLimits { MaxPageCount = 1 }));

        Assert.Equal(data, error.DataDirectory);
        Assert.NotNull(error.FreeBytes);
        Assert.Contains($"creating the history failed: the data directory {data} has no room", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(data));
        Assert.False(HistoryFile.TryOpenReadOnly(data, out _));
    }

    [Fact]
    public void A_first_start_on_a_full_disk_leaves_no_history_file_behind()
    {
        using var disk = SmallDisk.TryMount(2, out var reason);
        Assert.SkipWhen(disk is null, reason);
        Directory.CreateDirectory(disk.DataDirectory);
        disk.Fill();

        var error = Assert.Throws<HistoryFullException>(() => HistoryFile.Open(disk.DataDirectory));

        Assert.Equal(disk.DataDirectory, error.DataDirectory);
        Assert.True(error.FreeBytes < 4096, $"{error.FreeBytes} bytes free");
        Assert.Empty(Directory.GetFileSystemEntries(disk.DataDirectory));
        disk.Free();
        using var history = TestHistory.Open(disk.DataDirectory);
        Assert.Empty(history.Query(new RunQuery()).Runs);
    }

    [Fact]
    public Task Records_the_file_cannot_take_are_kept_in_memory_read_as_the_truth_and_written_once_it_can_be_written_again_page_limit() =>
        KeptInMemoryAsync(disk: null);

    [Fact]
    public async Task Records_the_file_cannot_take_are_kept_in_memory_read_as_the_truth_and_written_once_it_can_be_written_again_full_disk()
    {
        using var disk = SmallDisk.TryMount(3, out var reason);
        Assert.SkipWhen(disk is null, reason);
        await KeptInMemoryAsync(disk);
    }

    // With a small disk, it is filled; without one, the history is held to the pages it has and filled with runs.
    private async Task KeptInMemoryAsync(SmallDisk? disk)
    {
        var ct = TestContext.Current.CancellationToken;
        var data = disk?.DataDirectory ?? _directory;
        var running = Record("0001aaaabbbbcccc", RunState.Running, T0, "started");
        var older = Record("0000aaaabbbbcccc", RunState.Running, T0.AddSeconds(-1), "started before");
        using (var store = TestHistory.Open(data))
        {
            store.Save(older);
            store.Save(running);
            store.Save(Record("0002aaaabbbbcccc", RunState.Succeeded, T0.AddSeconds(1), "done"));
        }

        var logs = new EngineLogCapture();
        var pages = PageCount(data) + 8;
        using var history = TestHistory.Open(data, disk is null ? new HistoryLimits { MaxPageCount = pages } : null, new Logger<RunHistory>(logs));
        using var other = TestHistory.Open(data);
        var fillers = 0;
        if (disk is null)
        {
            // Runs until the file has no page left for another.
            while (Try(() => history.Runs.Add(Record($"{++fillers:d4}ffffffff0000", RunState.Succeeded, T0.AddDays(-1), new string('f', 3000)))))
            {
            }
        }
        else
        {
            disk.Fill();
        }

        // The run's job ended: its new record (with its last output) does not fit.
        var ended = running with { State = RunState.Succeeded, FinishedAt = T0.AddMinutes(1), LastOutput = [.. Enumerable.Repeat(new string('o', 100), 200)] };
        Assert.False(history.Runs.Save(ended));
        var full = Assert.Throws<HistoryFullException>(() => history.Runs.Add(Record("0003aaaabbbbcccc", RunState.Pending, T0.AddSeconds(2), new string('n', 20_000))));
        Assert.Equal(data, full.DataDirectory);
        Assert.NotNull(full.FreeBytes);

        // This process reads what is true; another reads the file.
        Assert.Equal(1, history.Runs.Unwritten);
        Assert.False(history.Runs.IsWritten(running.Id));
        Assert.Equal(RunState.Succeeded, history.Get(running.Id)!.State);
        Assert.Contains(running.Id, history.Query(new RunQuery(States: [RunState.Succeeded])).Runs.Select(r => r.Id));
        Assert.DoesNotContain(running.Id, history.Query(new RunQuery(States: [RunState.Running])).Runs.Select(r => r.Id));
        // A page the run left is filled from further on: a short page means there is no more.
        var first = history.Query(new RunQuery(1, States: [RunState.Running]));
        Assert.Equal([older.Id], first.Runs.Select(r => r.Id));
        Assert.Null(first.Next);
        Assert.Equal(RunState.Running, other.Get(running.Id)!.State);
        Assert.Equal(ApiJson.Serialize(history.Query(new RunQuery()).Runs), RunHistoryTests.Json(history.Runs.QueryJson(new RunQuery())));
        Assert.Contains($"{running.Id} (Succeeded)", history.Runs.DescribeUnwritten(), StringComparison.Ordinal);

        // Space comes back: the record is written in the background.
        if (disk is null)
        {
            Execute($"DELETE FROM runs WHERE id LIKE '%ffffffff0000';", data);
        }
        else
        {
            disk.Free();
        }

        await history.Runs.WhenWrittenAsync(running.Id, ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.Equal(0, history.Runs.Unwritten);
        Assert.Null(history.Runs.DescribeUnwritten());
        Assert.Equal(RunState.Succeeded, other.Get(running.Id)!.State);
        Assert.Equal(200, other.Get(running.Id)!.LastOutput.Count);
        // Once when it could not write, once when it could again.
        Assert.Collection(logs.Entries,
            e => Assert.StartsWith($"The run history {Path.Combine(data, HistoryFile.FileName)} cannot be written (the data directory {data} has no room", e.Message, StringComparison.Ordinal),
            e => Assert.StartsWith($"The run history {Path.Combine(data, HistoryFile.FileName)} takes writes again; records kept in memory and now written: 1", e.Message, StringComparison.Ordinal));
    }

    private static bool Try(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (HistoryFullException)
        {
            return false;
        }
    }

    private static RunRecord Record(string id, RunState state, DateTimeOffset created, string line) =>
        RunHistoryTests.Record(id, "wordcount", state, created) with { LastOutput = [line] };

    private static long PageCount(string data)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, HistoryFile.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql, string? data = null)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data ?? _directory, HistoryFile.FileName)};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int IndexOf(byte[] bytes, string text)
    {
        var index = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text));
        Assert.True(index >= 0, $"'{text}' is not in the file");
        return index;
    }
}
