using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The history on real SQLite files: pages, filters, read-only access, ownership rows and older formats.</summary>
public sealed class RunStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = FakePipelineFiles.TempDirectory("store");

    public void Dispose() => FakePipelineFiles.TryDeleteDirectory(_directory);

    [Fact]
    public void Pages_follow_each_other_newest_first_without_gaps_or_repeats_and_filters_apply()
    {
        using var store = RunStore.Open(_directory);
        for (var i = 0; i < 25; i++)
        {
            // Two runs share each creation time, so the cursor must tell them apart by id.
            store.Save(Record($"run{i:d2}aaaaaaaaaa", i % 3 == 0 ? "wordcount" : "split", i % 2 == 0 ? RunState.Succeeded : RunState.Failed, T0.AddSeconds(i / 2)));
        }

        var seen = new List<string>();
        RunCursor? after = null;
        var pages = 0;
        do
        {
            var page = store.Query(new RunQuery(Limit: 7, After: after));
            Assert.True(page.Runs.Count <= 7);
            seen.AddRange(page.Runs.Select(r => r.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(4, pages);
        var expected = Enumerable.Range(0, 25).Select(i => (Ticks: T0.AddSeconds(i / 2).UtcTicks, Id: $"run{i:d2}aaaaaaaaaa"))
            .OrderByDescending(r => r.Ticks).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id);
        Assert.Equal(expected, seen);

        var failedWordcount = store.Query(new RunQuery(States: [RunState.Failed], Pipeline: "wordcount")).Runs;
        Assert.Equal(["run21aaaaaaaaaa", "run15aaaaaaaaaa", "run09aaaaaaaaaa", "run03aaaaaaaaaa"], failedWordcount.Select(r => r.Id));
        Assert.Null(store.Query(new RunQuery(States: [RunState.Failed], Pipeline: "wordcount")).Next);
        Assert.Equal(25, store.Query(new RunQuery(States: [RunState.Failed, RunState.Succeeded], Limit: 100)).Runs.Count);
    }

    [Fact]
    public void Reading_never_writes_the_file_and_creates_nothing_beside_it()
    {
        using (var writer = RunStore.Open(_directory))
        {
            writer.Save(Record("aaaabbbbccccdddd", "wordcount", RunState.Succeeded, T0));
            writer.Flush();
        }

        Assert.True(File.Exists(Path.Combine(_directory, RunStore.FileName)));
        var before = Snapshot();

        Assert.True(RunStore.TryOpenReadOnly(_directory, out var reader));
        using (reader)
        {
            Assert.Equal(["aaaabbbbccccdddd"], reader!.Query(new RunQuery()).Runs.Select(r => r.Id));
            Assert.Throws<InvalidOperationException>(() => reader.Save(Record("xxxxyyyyzzzz0000", "x", RunState.Pending, T0)));
        }

        Assert.Equal(before, Snapshot());

        string Snapshot() => string.Join('\n', Directory.GetFiles(_directory).Order().Select(f =>
            $"{Path.GetFileName(f)} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));
    }

    [Fact]
    public void Reading_a_folder_that_is_missing_or_a_file_is_an_error_naming_it_and_an_empty_folder_has_no_history()
    {
        var missing = Path.Combine(_directory, "missing");
        var error = Assert.Throws<RunStoreException>(() => RunStore.TryOpenReadOnly(missing, out _));
        Assert.Contains($"there is no data directory {missing}", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));

        var file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "not a folder");
        error = Assert.Throws<RunStoreException>(() => RunStore.TryOpenReadOnly(file, out _));
        Assert.Contains($"{file} is a file, not a folder", error.Message, StringComparison.Ordinal);

        Assert.False(RunStore.TryOpenReadOnly(_directory, out var none));
        Assert.Null(none);
        Assert.Equal([file], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void A_history_of_the_first_format_is_read_as_is_and_upgraded_only_when_opened_for_writing()
    {
        var file = Path.Combine(_directory, RunStore.FileName);
        var old = Record("1111222233334444", "wordcount", RunState.Running, T0) with { Owner = null };
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE runs (id TEXT PRIMARY KEY NOT NULL, pipeline TEXT NOT NULL, job_name TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
                    created_ticks INTEGER NOT NULL, updated_ticks INTEGER NOT NULL, record TEXT NOT NULL);
                INSERT INTO runs VALUES ('{old.Id}', 'wordcount', '{old.JobName}', 'Running', {T0.UtcTicks}, {T0.UtcTicks}, '{RunRecordJson.Serialize(old)}');
                PRAGMA application_id = {0x46425352};
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(file);
        Assert.True(RunStore.TryOpenReadOnly(_directory, out var reader));
        using (reader)
        {
            Assert.Equal(old.Id, Assert.Single(reader!.Query(new RunQuery()).Runs).Id);
        }

        Assert.Equal(bytes, File.ReadAllBytes(file));

        using var writer = RunStore.Open(_directory);
        var active = Assert.Single(writer.LoadActive());
        Assert.Null(active.Owner);
        Assert.NotNull(writer.TryClaim(active, "new-owner", T0.AddMinutes(1)));
        Assert.Equal("new-owner", writer.Get(old.Id)!.Owner);
    }

    [Fact]
    public void Only_one_of_two_stores_on_the_same_file_takes_a_run_over_and_an_ended_run_is_never_taken()
    {
        var run = Record("5555666677778888", "wordcount", RunState.Running, T0) with { Owner = "gone" };
        using var first = RunStore.Open(_directory);
        using var second = RunStore.Open(_directory);
        first.Save(run);

        Assert.NotNull(first.TryClaim(run, "a", T0));
        Assert.Null(second.TryClaim(run, "b", T0));
        Assert.Equal("a", second.Get(run.Id)!.Owner);

        var ended = Record("9999000011112222", "wordcount", RunState.Succeeded, T0) with { Owner = "gone" };
        first.Save(ended);
        Assert.Null(second.TryClaim(ended, "b", T0));
    }

    [Fact]
    public void A_second_live_instance_of_an_exclusive_role_is_refused_naming_the_holder_and_one_that_is_gone_is_replaced()
    {
        using var store = RunStore.Open(_directory);
        var holder = new SubmitterInstance("holder", SubmitterInstance.ServeRole, "host-a", 1234, 99, T0, T0.AddSeconds(30));
        store.Register(holder, exclusive: true, _ => true);
        store.Register(new SubmitterInstance("cli", SubmitterInstance.RunRole, "host-a", 1235, 99, T0, T0.AddSeconds(30)), exclusive: false, _ => true);

        var second = new SubmitterInstance("second", SubmitterInstance.ServeRole, "host-a", 4321, 99, T0, T0.AddSeconds(30));
        var error = Assert.Throws<DataDirectoryInUseException>(() => store.Register(second, exclusive: true, _ => true));
        Assert.Contains($"The data directory {_directory} is in use by Submitter serve (process 1234 on host-a", error.Message, StringComparison.Ordinal);
        Assert.Equal(["holder", "cli"], store.Instances().Select(i => i.Id));

        store.Register(second, exclusive: true, other => other.Id != "holder");
        Assert.Equal(["cli", "second"], store.Instances().Select(i => i.Id));
        Assert.True(store.Renew("second", T0.AddMinutes(1)));
        store.Unregister("second");
        Assert.False(store.Renew("second", T0.AddMinutes(2)));
    }

    private static RunRecord Record(string id, string pipeline, RunState state, DateTimeOffset created) => new()
    {
        Id = id,
        Pipeline = pipeline,
        JobName = $"{pipeline}-{id[..8]}",
        State = state,
        CreatedAt = created,
        UpdatedAt = created,
        Owner = "owner",
    };
}
