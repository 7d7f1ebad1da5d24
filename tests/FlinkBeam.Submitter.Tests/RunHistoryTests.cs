using System.Text;
using ApiJson = FlinkBeam.Submitter.Api.ApiJson;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The history on real SQLite files: pages and filters against a plain model, counts, read-only access and older formats.</summary>
public sealed class RunHistoryTests : IDisposable
{
    internal static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = FakePipelineFiles.TempDirectory("history");

    public void Dispose() => FakePipelineFiles.TryDeleteDirectory(_directory);

    [Fact]
    public void Pages_follow_each_other_newest_first_without_gaps_or_repeats_and_filters_apply()
    {
        using var store = TestHistory.Open(_directory);
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
    public void Every_filter_and_limit_pages_exactly_as_a_plain_sort_of_the_matches_would()
    {
        using var store = TestHistory.Open(_directory);
        var random = new Random(7);
        var states = Enum.GetValues<RunState>();
        string[] pipelines = ["wordcount", "split", "lengths"];
        var all = Enumerable.Range(0, 300).Select(i => Record(
            $"{random.Next(0x10000):x4}{i:d4}aaaaaaaa", pipelines[random.Next(pipelines.Length)], states[random.Next(states.Length)],
            T0.AddSeconds(random.Next(60)))).ToList();
        foreach (var run in all)
        {
            store.Save(run);
        }

        RunState[][] filters = [[], [RunState.Running], [RunState.Failed, RunState.TimedOut], [RunState.Pending, RunState.Succeeded, RunState.Cancelled], states];
        foreach (var pipeline in new string?[] { null, "split", "nothing" })
        {
            foreach (var filter in filters)
            {
                var expected = all.Where(r => (pipeline is null || r.Pipeline == pipeline) && (filter.Length == 0 || filter.Contains(r.State)))
                    .OrderByDescending(r => r.CreatedAt.UtcTicks).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
                foreach (var limit in new[] { 1, 2, 3, 4, 17, RunQuery.MaxLimit })
                {
                    var seen = new List<string>();
                    RunCursor? after = null;
                    do
                    {
                        var page = store.Query(new RunQuery(limit, after, filter, pipeline));
                        Assert.True(page.Runs.Count == limit || page.Next is null, $"a short page with more to follow ({pipeline}, {string.Join('|', filter)}, {limit})");
                        // The API's page, copied from the file, is exactly the runs of the page written as the API writes them.
                        var json = store.Runs.QueryJson(new RunQuery(limit, after, filter, pipeline));
                        Assert.Equal(ApiJson.Serialize(page.Runs), Json(json));
                        Assert.Equal(page.Next, json.Next);
                        seen.AddRange(page.Runs.Select(r => r.Id));
                        after = page.Next;
                    }
                    while (after is not null);

                    Assert.True(expected.SequenceEqual(seen), $"pipeline {pipeline ?? "any"}, states {string.Join('|', filter)}, limit {limit}");
                }
            }
        }
    }

    [Fact]
    public void Every_statement_reads_one_bounded_range_of_an_index_and_none_sorts_or_scans_the_runs()
    {
        using (var store = TestHistory.Open(_directory))
        {
            for (var i = 0; i < 200; i++)
            {
                store.Save(Record($"{i:d4}bbbbccccdddd", i % 4 == 0 ? "wordcount" : "split", (RunState)(i % 9), T0.AddSeconds(i)));
            }
        }

        using var connection = Connect();
        using (var analyze = connection.CreateCommand())
        {
            // With statistics the planner is most tempted to pick a scan for a small LIMIT; the plans must not change.
            analyze.CommandText = "ANALYZE;";
            analyze.ExecuteNonQuery();
        }

        var pages = new List<HistoryQueries.Statement>();
        RunState[][] filters = [[], [RunState.Succeeded], [RunState.Failed, RunState.TimedOut], [.. Enum.GetValues<RunState>().Skip(1)]];
        foreach (var pipeline in new string?[] { null, "wordcount" })
        {
            foreach (var filter in filters)
            {
                foreach (var after in new RunCursor?[] { null, new RunCursor(T0.AddSeconds(100).UtcTicks, "0100bbbbccccdddd") })
                {
                    foreach (var limit in new[] { 1, 2, 3, 4, 20, RunQuery.MaxLimit })
                    {
                        pages.AddRange(HistoryQueries.Page(new RunQuery(limit, after, filter, pipeline), current: true));
                    }
                }
            }
        }

        var expectedIndex = new Dictionary<string, string>
        {
            ["WHERE (created"] = HistorySchema.ByCreated,
            ["WHERE state"] = HistorySchema.ByState,
            ["WHERE pipeline = $pipeline AND (created"] = HistorySchema.ByPipeline,
            ["WHERE pipeline = $pipeline AND state"] = HistorySchema.ByPipelineAndState,
        };
        foreach (var page in pages)
        {
            var plan = Assert.Single(Plan(connection, page));
            var index = expectedIndex.Single(e => page.Sql.Contains(e.Key, StringComparison.Ordinal)).Value;
            Assert.Matches($@"^SEARCH runs USING INDEX {index} \(.*\(created_ticks,id\)<\(\?,\?\)\)$", plan);
        }

        Assert.Equal(["SEARCH runs USING INDEX sqlite_autoindex_runs_1 (id=?)"], Plan(connection, HistoryQueries.Get(current: true)));
        Assert.Equal(["SEARCH runs USING INDEX sqlite_autoindex_runs_1 (id=?)"], Plan(connection, HistoryQueries.State));
        Assert.Equal([$"SEARCH runs USING INDEX {HistorySchema.ByPipeline} (pipeline=?)"], Plan(connection, HistoryQueries.Newest));
        Assert.Equal(["SEARCH pipeline_counts USING PRIMARY KEY (pipeline=?)"], Plan(connection, HistoryQueries.Counts));
        Assert.Equal(["SEARCH runs USING INDEX sqlite_autoindex_runs_1 (id=?)"], Plan(connection, HistoryQueries.Claim));
        Assert.All(Plan(connection, HistoryQueries.IsTaken), line => Assert.Matches(@"SEARCH runs USING (COVERING )?INDEX sqlite_autoindex_runs_[12] \((id|job_name)=\?\)|MULTI-INDEX OR|INDEX \d", line));
        // The active runs are read from their partial index alone, in its order: as many entries as runs that have not ended.
        Assert.Equal([$"SCAN runs USING COVERING INDEX {HistorySchema.Active}"], Plan(connection, HistoryQueries.ActiveOwners));
        Assert.Equal([$"SCAN runs USING INDEX {HistorySchema.Active}"], Plan(connection, HistoryQueries.ActiveRecords));
    }

    [Fact]
    public void Counts_and_the_newest_run_of_a_pipeline_follow_every_write_including_other_processes_and_plain_SQL()
    {
        using var first = TestHistory.Open(_directory);
        using var second = TestHistory.Open(_directory);
        Assert.Equal(new PipelineSummary("wordcount", 0, 0, null), first.Runs.Summarize("wordcount"));

        first.Save(Record("0001aaaabbbbcccc", "wordcount", RunState.Running, T0));
        second.Save(Record("0002aaaabbbbcccc", "wordcount", RunState.Failed, T0.AddSeconds(1)));
        second.Save(Record("0003aaaabbbbcccc", "split", RunState.TimedOut, T0.AddSeconds(2)));
        first.Save(Record("0001aaaabbbbcccc", "wordcount", RunState.TimedOut, T0));
        var summary = second.Runs.Summarize("wordcount");
        Assert.Equal((2L, 2L, "0002aaaabbbbcccc"), (summary.Runs, summary.Failed, summary.Latest?.Id));

        // A writer that is not this code at all (a repair, another version) keeps them right too: the file counts.
        using (var connection = Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE runs SET state = 'Succeeded' WHERE id = '0001aaaabbbbcccc';
                INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record) VALUES ('x', 'wordcount', 'wordcount-x', 'Failed', 1, 1, '{}');
                DELETE FROM runs WHERE id = '0003aaaabbbbcccc';
                """;
            command.ExecuteNonQuery();
        }

        summary = first.Runs.Summarize("wordcount");
        Assert.Equal((3L, 2L), (summary.Runs, summary.Failed));
        Assert.Equal((0L, 0L), (first.Runs.Summarize("split").Runs, first.Runs.Summarize("split").Failed));
    }

    [Fact]
    public void Reading_never_writes_the_file_and_creates_nothing_beside_it()
    {
        using (var writer = TestHistory.Open(_directory))
        {
            writer.Save(Record("aaaabbbbccccdddd", "wordcount", RunState.Succeeded, T0));
            writer.File.Flush();
        }

        Assert.True(File.Exists(Path.Combine(_directory, HistoryFile.FileName)));
        var before = Snapshot();

        Assert.True(HistoryFile.TryOpenReadOnly(_directory, out var file));
        using (file)
        {
            var reader = new RunHistory(file);
            Assert.Equal(["aaaabbbbccccdddd"], reader.Query(new RunQuery()).Runs.Select(r => r.Id));
            Assert.Throws<InvalidOperationException>(() => reader.Add(Record("xxxxyyyyzzzz0000", "x", RunState.Pending, T0)));
        }

        Assert.Equal(before, Snapshot());

        string Snapshot() => string.Join('\n', Directory.GetFiles(_directory).Order().Select(f =>
            $"{Path.GetFileName(f)} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));
    }

    [Fact]
    public void Reading_a_folder_that_is_missing_or_a_file_is_an_error_naming_it_and_an_empty_folder_or_file_has_no_history()
    {
        var missing = Path.Combine(_directory, "missing");
        var error = Assert.Throws<RunStoreException>(() => HistoryFile.TryOpenReadOnly(missing, out _));
        Assert.Contains($"there is no data directory {missing}", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));

        var file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "not a folder");
        error = Assert.Throws<RunStoreException>(() => HistoryFile.TryOpenReadOnly(file, out _));
        Assert.Contains($"{file} is a file, not a folder", error.Message, StringComparison.Ordinal);

        Assert.False(HistoryFile.TryOpenReadOnly(_directory, out var none));
        Assert.Null(none);
        Assert.Equal([file], Directory.GetFileSystemEntries(_directory));

        // The empty runs.db an interrupted first start of an older Submitter left holds no history; the next start makes one.
        var empty = Path.Combine(_directory, HistoryFile.FileName);
        File.WriteAllBytes(empty, []);
        Assert.False(HistoryFile.TryOpenReadOnly(_directory, out _));
        using (var store = TestHistory.Open(_directory))
        {
            store.Save(Record("aaaabbbbccccdddd", "wordcount", RunState.Succeeded, T0));
        }

        Assert.True(HistoryFile.TryOpenReadOnly(_directory, out var made));
        using (made)
        {
            Assert.Single(new RunHistory(made).Query(new RunQuery()).Runs);
        }
    }

    [Fact]
    public void A_history_of_the_first_format_is_read_as_is_and_upgraded_only_when_opened_for_writing()
    {
        var file = Path.Combine(_directory, HistoryFile.FileName);
        var old = Record("1111222233334444", "wordcount", RunState.Running, T0) with { Owner = null };
        Execute(file, $"""
            CREATE TABLE runs (id TEXT PRIMARY KEY NOT NULL, pipeline TEXT NOT NULL, job_name TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
                created_ticks INTEGER NOT NULL, updated_ticks INTEGER NOT NULL, record TEXT NOT NULL);
            CREATE INDEX runs_state ON runs (state);
            CREATE INDEX runs_created ON runs (created_ticks);
            INSERT INTO runs VALUES ('{old.Id}', 'wordcount', '{old.JobName}', 'Running', {T0.UtcTicks}, {T0.UtcTicks}, '{RunRecordJson.Serialize(old)}');
            PRAGMA application_id = {0x46425352};
            PRAGMA user_version = 1;
            """);

        var bytes = File.ReadAllBytes(file);
        Assert.True(HistoryFile.TryOpenReadOnly(_directory, out var reader));
        using (reader)
        {
            Assert.Equal(old.Id, Assert.Single(new RunHistory(reader).Query(new RunQuery(States: [RunState.Running])).Runs).Id);
        }

        Assert.Equal(bytes, File.ReadAllBytes(file));

        using var writer = TestHistory.Open(_directory);
        Assert.Equal(HistorySchema.Version, writer.File.Version);
        var (id, owner) = Assert.Single(writer.Runs.ActiveOwners());
        Assert.Equal((old.Id, (string?)null), (id, owner));
        Assert.NotNull(writer.Runs.TryClaim(writer.Get(id)!, "new-owner", T0.AddMinutes(1)));
        Assert.Equal("new-owner", writer.Get(old.Id)!.Owner);
        Assert.Equal(1, writer.Runs.Summarize("wordcount").Runs);
    }

    [Fact]
    public void A_history_of_the_second_format_is_upgraded_once_with_its_counts_back_filled_and_its_records_read_as_they_are()
    {
        var file = Path.Combine(_directory, HistoryFile.FileName);
        var rows = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            var run = Record($"{i:d4}eeeeffff0000", i % 3 == 0 ? "split" : "wordcount", i % 4 == 0 ? RunState.Failed : i % 5 == 0 ? RunState.TimedOut : RunState.Succeeded, T0.AddSeconds(i));
            rows.Append($"INSERT INTO runs VALUES ('{run.Id}', '{run.Pipeline}', '{run.JobName}', '{run.State}', {run.CreatedAt.UtcTicks}, {run.CreatedAt.UtcTicks}, '{RunRecordJson.Serialize(run)}', 'gone');\n");
        }

        Execute(file, $"""
            CREATE TABLE runs (id TEXT PRIMARY KEY NOT NULL, pipeline TEXT NOT NULL, job_name TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
                created_ticks INTEGER NOT NULL, updated_ticks INTEGER NOT NULL, record TEXT NOT NULL, owner TEXT);
            CREATE INDEX runs_state ON runs (state);
            CREATE INDEX runs_created ON runs (created_ticks);
            CREATE INDEX runs_pipeline ON runs (pipeline, created_ticks);
            CREATE TABLE instances (id TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
                process_start INTEGER NOT NULL, started_ticks INTEGER NOT NULL, lease_ticks INTEGER NOT NULL);
            {rows}
            PRAGMA application_id = {0x46425352};
            PRAGMA user_version = 2;
            """);

        var logs = new EngineLogCapture();
        using (var history = HistoryFile.Open(_directory, logger: logs.CreateLogger("history")))
        {
            Assert.Equal(HistorySchema.Version, history.Version);
        }

        Assert.Contains(logs.Entries, e => e.Message.StartsWith($"Upgrading the run history {file} (30 runs) from format 2 to 3", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Message.StartsWith($"Upgraded the run history {file} (30 runs) to format 3 in ", StringComparison.Ordinal));
        using (HistoryFile.Open(_directory, logger: logs.CreateLogger("history")))
        {
        }

        Assert.Equal(2, logs.Entries.Count);
        using var store = TestHistory.Open(_directory);

        var wordcount = store.Runs.Summarize("wordcount");
        var split = store.Runs.Summarize("split");
        Assert.Equal((20L, 8L, "0029eeeeffff0000"), (wordcount.Runs, wordcount.Failed, wordcount.Latest?.Id));
        Assert.Equal((10L, 4L, "0027eeeeffff0000"), (split.Runs, split.Failed, split.Latest?.Id));
        Assert.Equal(["0028eeeeffff0000", "0024eeeeffff0000"], store.Query(new RunQuery(2, States: [RunState.Failed])).Runs.Select(r => r.Id));
        Assert.Equal(ApiJson.Serialize(store.Query(new RunQuery(50)).Runs), Json(store.Runs.QueryJson(new RunQuery(50))));
        using var connection = Connect();
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name);";
        Assert.Equal("runs_active,runs_by_created,runs_by_pipeline,runs_by_pipeline_state,runs_by_state", tables.ExecuteScalar());
    }

    [Fact]
    public void A_history_missing_an_index_or_of_a_newer_format_or_of_another_program_is_refused_and_left_untouched()
    {
        var file = Path.Combine(_directory, HistoryFile.FileName);
        using (TestHistory.Open(_directory))
        {
        }

        Execute(file, $"DROP INDEX {HistorySchema.ByState};");
        var bytes = File.ReadAllBytes(file);
        var error = Assert.Throws<RunStoreException>(() => HistoryFile.Open(_directory));
        Assert.Equal($"Run history '{file}': is damaged: its index {HistorySchema.ByState} is missing. It was left untouched; move it away or choose another data directory.", error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(file));

        Execute(file, "PRAGMA user_version = 4;");
        error = Assert.Throws<RunStoreException>(() => HistoryFile.Open(_directory));
        Assert.Contains("was written by a newer Submitter (history format 4; this one reads 3)", error.Message, StringComparison.Ordinal);

        Execute(file, "PRAGMA application_id = 7;");
        error = Assert.Throws<RunStoreException>(() => HistoryFile.TryOpenReadOnly(_directory, out _));
        Assert.Contains("is a SQLite database but not a Submitter run history", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_one_of_two_stores_on_the_same_file_takes_a_run_over_and_an_ended_run_is_never_taken()
    {
        var run = Record("5555666677778888", "wordcount", RunState.Running, T0) with { Owner = "gone" };
        using var first = TestHistory.Open(_directory);
        using var second = TestHistory.Open(_directory);
        first.Save(run);

        Assert.NotNull(first.Runs.TryClaim(run, "a", T0));
        Assert.Null(second.Runs.TryClaim(run, "b", T0));
        Assert.Equal("a", second.Get(run.Id)!.Owner);

        var ended = Record("9999000011112222", "wordcount", RunState.Succeeded, T0) with { Owner = "gone" };
        first.Save(ended);
        Assert.Null(second.Runs.TryClaim(ended, "b", T0));
    }

    [Fact]
    public void A_new_run_is_added_once_and_a_second_add_of_its_id_or_job_name_fails_changing_nothing()
    {
        using var store = TestHistory.Open(_directory);
        var run = Record("aaaabbbbccccdddd", "wordcount", RunState.Pending, T0);
        store.Runs.Add(run);

        Assert.True(store.Runs.IsTaken(run.Id, "other"));
        Assert.True(store.Runs.IsTaken("other", run.JobName));
        Assert.False(store.Runs.IsTaken("other", "other-job"));
        var error = Assert.Throws<RunStoreException>(() => store.Runs.Add(run with { State = RunState.Failed }));
        Assert.Contains("adding run 'aaaabbbbccccdddd' failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunState.Pending, store.Get(run.Id)!.State);
        Assert.Equal(1, store.Runs.Summarize("wordcount").Runs);
    }

    internal static string Json(RunJsonPage page)
    {
        using var stream = new MemoryStream();
        page.WriteToAsync(stream).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static RunRecord Record(string id, string pipeline, RunState state, DateTimeOffset created) => new()
    {
        Id = id,
        Pipeline = pipeline,
        JobName = $"{pipeline}-{id[..8]}",
        State = state,
        CreatedAt = created,
        UpdatedAt = created,
        Owner = "owner",
    };

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, HistoryFile.FileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Plan(SqliteConnection connection, HistoryQueries.Statement statement)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement.Sql;
        foreach (var (name, value) in statement.Parameters ?? [])
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        foreach (var name in new[] { "$id", "$jobName", "$pipeline", "$owner", "$updated", "$record", "$crc", "$previous" })
        {
            if (statement.Sql.Contains(name, StringComparison.Ordinal) && !command.Parameters.Contains(name))
            {
                command.Parameters.AddWithValue(name, "x");
            }
        }

        var plan = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
        return plan;
    }
}
