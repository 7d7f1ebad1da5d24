using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The SQL of the run history, in one place, so a test can show SQLite's plan for each statement. Every statement
/// that reads runs is one bounded range of one index, named with <c>INDEXED BY</c> so the planner cannot choose a scan
/// for a small <c>LIMIT</c>: a page of several states is one range per state, merged in page order as the rows are
/// read (<see cref="RunHistory"/>), never a sort of the matches.
/// </summary>
internal static class HistoryQueries
{
    /// <summary>The columns of a stored record, in the order <see cref="RunHistory"/> reads them.</summary>
    private const string Columns = "id, state, created_ticks, record, record_crc";

    // Formats before 3 have no checksum column and none of the page-ordered indexes: read as they are, more slowly.
    private const string LegacyColumns = "id, state, created_ticks, record, NULL";

    private const string PageOrder = "ORDER BY created_ticks DESC, id DESC";

    public static Statement Get(bool current) => new($"SELECT {Cols(current)} FROM runs WHERE id = $id;");

    public static Statement State => new("SELECT state FROM runs WHERE id = $id;");

    public static Statement IsTaken => new("SELECT 1 FROM runs WHERE id = $id OR job_name = $jobName LIMIT 1;");

    /// <summary>The newest run of a pipeline.</summary>
    public static Statement Newest => new($"SELECT {Columns} FROM runs INDEXED BY {HistorySchema.ByPipeline} WHERE pipeline = $pipeline {PageOrder} LIMIT 1;");

    public static Statement Counts => new("SELECT runs, failed FROM pipeline_counts WHERE pipeline = $pipeline;");

    /// <summary>The runs that have not ended and their owners, oldest first: the partial index alone, never a record.</summary>
    public static Statement ActiveOwners => new(
        $"SELECT id, owner FROM runs INDEXED BY {HistorySchema.Active} WHERE state IN ({HistorySchema.ActiveStates}) ORDER BY created_ticks, id;");

    /// <summary>The records of the runs that have not ended, oldest first.</summary>
    public static Statement ActiveRecords => new(
        $"SELECT {Columns} FROM runs INDEXED BY {HistorySchema.Active} WHERE state IN ({HistorySchema.ActiveStates}) ORDER BY created_ticks, id;");

    public static Statement Insert => new("""
        INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record, record_crc, owner)
        VALUES ($id, $pipeline, $jobName, $state, $created, $updated, $record, $crc, $owner);
        """);

    public static Statement Save => new("""
        INSERT INTO runs (id, pipeline, job_name, state, created_ticks, updated_ticks, record, record_crc, owner)
        VALUES ($id, $pipeline, $jobName, $state, $created, $updated, $record, $crc, $owner)
        ON CONFLICT(id) DO UPDATE SET
            state = excluded.state, updated_ticks = excluded.updated_ticks, record = excluded.record,
            record_crc = excluded.record_crc, owner = excluded.owner;
        """);

    /// <summary>Hands an active run to a new owner only if its owner is still the one the caller read.</summary>
    public static Statement Claim => new($"""
        UPDATE runs SET owner = $owner, updated_ticks = $updated, record = $record, record_crc = $crc
        WHERE id = $id AND owner IS $previous AND state IN ({HistorySchema.ActiveStates});
        """);

    /// <summary>
    /// The statements of one page: one per state asked for (one for none), each a bounded range of the index that
    /// matches the filter, in page order, after the cursor, at most one run more than the page holds.
    /// </summary>
    /// <param name="current">False for a file of an older format, read as it is (without index hints or checksums).</param>
    public static IReadOnlyList<Statement> Page(RunQuery query, bool current)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (beforeTicks, beforeId) = query.After is { } after ? (after.CreatedTicks, after.Id) : (long.MaxValue, "");
        var states = Distinct(query.States);
        var statements = new List<Statement>();
        foreach (var state in states)
        {
            var index = (query.Pipeline, state) switch
            {
                (null, null) => HistorySchema.ByCreated,
                (null, _) => HistorySchema.ByState,
                (_, null) => HistorySchema.ByPipeline,
                _ => HistorySchema.ByPipelineAndState,
            };
            var where = new List<string>();
            var parameters = new List<(string, object?)> { ("$beforeTicks", beforeTicks), ("$beforeId", beforeId), ("$limit", query.Limit + 1) };
            if (query.Pipeline is { } pipeline)
            {
                where.Add("pipeline = $pipeline");
                parameters.Add(("$pipeline", pipeline));
            }

            if (state is { } one)
            {
                where.Add("state = $state");
                parameters.Add(("$state", one.ToString()));
            }

            where.Add("(created_ticks, id) < ($beforeTicks, $beforeId)");
            var hint = current ? $" INDEXED BY {index}" : "";
            statements.Add(new Statement($"SELECT {Cols(current)} FROM runs{hint} WHERE {string.Join(" AND ", where)} {PageOrder} LIMIT $limit;", parameters));
        }

        return statements;
    }

    /// <summary>Whether a run matches the query's filters (not its cursor).</summary>
    public static bool Matches(RunQuery query, RunRecord run) =>
        (query.Pipeline is null || query.Pipeline == run.Pipeline)
        && (query.States is not { Count: > 0 } states || states.Contains(run.State));

    // Every state at once is no filter at all.
    private static IReadOnlyList<RunState?> Distinct(IReadOnlyCollection<RunState>? states)
    {
        var distinct = states?.Distinct().Order().ToList() ?? [];
        return distinct.Count == 0 || distinct.Count == Enum.GetValues<RunState>().Length ? [null] : [.. distinct.Select(s => (RunState?)s)];
    }

    private static string Cols(bool current) => current ? Columns : LegacyColumns;

    /// <summary>One SQL statement and the values of its parameters.</summary>
    internal sealed record Statement(string Sql, IReadOnlyList<(string Name, object? Value)>? Parameters = null);
}
