using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The tables, indexes and triggers of <c>runs.db</c>, the format's version, and the steps that bring an older file up
/// to it. Every page of the history is one bounded range of one of the indexes (see <see cref="HistoryQueries"/>):
/// by creation time, by state, by pipeline, by pipeline and state, each ordered as pages are (creation time, then id),
/// and a partial index of the runs that have not ended. Triggers keep per-pipeline counts in the transaction that
/// writes the run, whichever Submitter process writes it.
/// </summary>
internal static class HistorySchema
{
    // "FBSR": marks the file as a Submitter run history.
    public const int ApplicationId = 0x46425352;

    // 1: runs. 2: the owner of each run and the instances table. 3: page-ordered indexes, the partial index of active
    // runs, per-pipeline counts kept by triggers, a checksum of each record.
    public const int Version = 3;

    public const string ByCreated = "runs_by_created";
    public const string ByState = "runs_by_state";
    public const string ByPipeline = "runs_by_pipeline";
    public const string ByPipelineAndState = "runs_by_pipeline_state";
    public const string Active = "runs_active";

    /// <summary>The states of runs that have not ended, as SQL: the partial index's condition, spelled the same wherever it is used.</summary>
    public static string ActiveStates { get; } = StateList(s => !s.IsTerminal());

    /// <summary>The states a pipeline's <c>failed</c> count covers.</summary>
    public static string FailedStates { get; } = StateList(s => s is RunState.Failed or RunState.TimedOut);

    /// <summary>What a file of the current version holds, by type and name; checked on every open instead of reading the file.</summary>
    public static IReadOnlyList<(string Type, string Name)> Objects { get; } =
    [
        ("table", "runs"), ("table", "instances"), ("table", "pipeline_counts"),
        ("index", ByCreated), ("index", ByState), ("index", ByPipeline), ("index", ByPipelineAndState), ("index", Active),
        ("trigger", "runs_counted_insert"), ("trigger", "runs_counted_update"), ("trigger", "runs_counted_delete"),
    ];

    /// <summary>The statements that bring a file of <paramref name="version"/> (0: a new file) to <see cref="Version"/>.</summary>
    public static string Upgrade(int version) => version switch
    {
        0 => Runs + Instances + Current,
        1 => "ALTER TABLE runs ADD COLUMN owner TEXT;" + Instances + FromVersion2,
        2 => FromVersion2,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "No upgrade from this history format."),
    };

    private const string Runs = """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY NOT NULL,
            pipeline TEXT NOT NULL,
            job_name TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            created_ticks INTEGER NOT NULL,
            updated_ticks INTEGER NOT NULL,
            record TEXT NOT NULL,
            owner TEXT,
            record_crc INTEGER);
        """;

    private const string Instances = """
        CREATE TABLE IF NOT EXISTS instances (
            id TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start INTEGER NOT NULL,
            started_ticks INTEGER NOT NULL,
            lease_ticks INTEGER NOT NULL);
        """;

    // Formats 1 and 2 indexed state and creation time alone, so a page filtered by state sorted every match.
    private static string FromVersion2 => """
        ALTER TABLE runs ADD COLUMN record_crc INTEGER;
        DROP INDEX IF EXISTS runs_state;
        DROP INDEX IF EXISTS runs_created;
        DROP INDEX IF EXISTS runs_pipeline;
        """ + Current;

    // record_crc is null for records written before format 3: those are checked by reading them alone.
    private static string Current => $"""
        CREATE INDEX {ByCreated} ON runs (created_ticks, id);
        CREATE INDEX {ByState} ON runs (state, created_ticks, id);
        CREATE INDEX {ByPipeline} ON runs (pipeline, created_ticks, id);
        CREATE INDEX {ByPipelineAndState} ON runs (pipeline, state, created_ticks, id);
        CREATE INDEX {Active} ON runs (created_ticks, id, owner, state) WHERE state IN ({ActiveStates});
        CREATE TABLE pipeline_counts (
            pipeline TEXT PRIMARY KEY NOT NULL,
            runs INTEGER NOT NULL,
            failed INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO pipeline_counts (pipeline, runs, failed)
            SELECT pipeline, count(*), coalesce(sum(state IN ({FailedStates})), 0) FROM runs INDEXED BY {ByPipelineAndState} GROUP BY pipeline;
        CREATE TRIGGER runs_counted_insert AFTER INSERT ON runs BEGIN
            INSERT INTO pipeline_counts (pipeline, runs, failed) VALUES (new.pipeline, 1, new.state IN ({FailedStates}))
            ON CONFLICT (pipeline) DO UPDATE SET runs = runs + 1, failed = failed + excluded.failed;
        END;
        CREATE TRIGGER runs_counted_update AFTER UPDATE OF state, pipeline ON runs
        WHEN old.pipeline IS NOT new.pipeline OR (old.state IN ({FailedStates})) IS NOT (new.state IN ({FailedStates})) BEGIN
            UPDATE pipeline_counts SET runs = runs - 1, failed = failed - (old.state IN ({FailedStates})) WHERE pipeline = old.pipeline;
            INSERT INTO pipeline_counts (pipeline, runs, failed) VALUES (new.pipeline, 1, new.state IN ({FailedStates}))
            ON CONFLICT (pipeline) DO UPDATE SET runs = runs + 1, failed = failed + excluded.failed;
        END;
        CREATE TRIGGER runs_counted_delete AFTER DELETE ON runs BEGIN
            UPDATE pipeline_counts SET runs = runs - 1, failed = failed - (old.state IN ({FailedStates})) WHERE pipeline = old.pipeline;
        END;
        PRAGMA application_id = {ApplicationId};
        PRAGMA user_version = {Version};
        """;

    private static string StateList(Func<RunState, bool> include) =>
        string.Join(", ", Enum.GetValues<RunState>().Where(include).Select(s => $"'{s}'"));
}
