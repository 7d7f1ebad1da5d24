namespace FlinkBeam.Submitter.Records;

/// <summary>One page of the history, newest first: at most <see cref="Limit"/> runs after <see cref="After"/>, filtered.</summary>
/// <param name="Limit">How many runs at most, 1 to <see cref="MaxLimit"/>.</param>
/// <param name="After">Where the previous page ended; null for the first page.</param>
/// <param name="States">Only runs in one of these states; null or empty for any.</param>
/// <param name="Pipeline">Only runs of this pipeline; null for any.</param>
public sealed record RunQuery(int Limit = RunQuery.DefaultLimit, RunCursor? After = null, IReadOnlyCollection<RunState>? States = null, string? Pipeline = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}

/// <summary>A page of runs and, when more follow, the cursor of the next page.</summary>
public sealed record RunPage(IReadOnlyList<RunRecord> Runs, RunCursor? Next);
