using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// A page of the history as this process knows it: the page as the file has it, with the records of this process that
/// are not written yet (see <see cref="PendingRecords"/>) in their place. A run's position (creation time, id) never
/// changes, so a pending record takes the place of its run's row, leaves the page when it no longer matches the query,
/// or joins it when it now does. A pure function of what was read.
/// </summary>
internal static class PageMerge
{
    /// <param name="disk">The page as read from the file: at most <paramref name="limit"/> runs, in page order.</param>
    /// <param name="boundary">The position of the next run in the file after those, or null when the file has no more.</param>
    /// <param name="pendingIds">Every run with a pending record.</param>
    /// <param name="pendingMatches">The pending records that match the query and lie after its cursor.</param>
    /// <param name="limit">The page's size.</param>
    public static RunPage Merge(IReadOnlyList<RunRecord> disk, RunCursor? boundary, IReadOnlySet<string> pendingIds, IEnumerable<RunRecord> pendingMatches, int limit)
    {
        var candidates = disk.Where(r => !pendingIds.Contains(r.Id))
            .Concat(pendingMatches.Where(p => boundary is not { } b || Compare(RunCursor.Of(p), b) > 0))
            .OrderByDescending(RunCursor.Of, Order.Instance)
            .ToList();
        if (candidates.Count > limit)
        {
            var page = candidates[..limit];
            return new RunPage(page, RunCursor.Of(page[^1]));
        }

        if (boundary is null)
        {
            return new RunPage(candidates, null);
        }

        // Everything down to the last run read from the file was looked at: the next page starts below both.
        var lastRead = RunCursor.Of(disk[^1]);
        var next = candidates.Count > 0 && Compare(RunCursor.Of(candidates[^1]), lastRead) < 0 ? RunCursor.Of(candidates[^1]) : lastRead;
        return new RunPage(candidates, next);
    }

    /// <summary>Page order: by creation time, then by id (ordinal), as the indexes order them.</summary>
    public static int Compare(RunCursor a, RunCursor b)
    {
        var byTime = a.CreatedTicks.CompareTo(b.CreatedTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    private sealed class Order : IComparer<RunCursor>
    {
        public static readonly Order Instance = new();

        public int Compare(RunCursor x, RunCursor y) => PageMerge.Compare(x, y);
    }
}
