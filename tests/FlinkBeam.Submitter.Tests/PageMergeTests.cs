using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Tests;

/// <summary>A page as the file has it, with the records this process could not write yet in their place: a table of cases.</summary>
public sealed class PageMergeTests
{
    private static readonly DateTimeOffset T0 = RunHistoryTests.T0;

    public static TheoryData<string, string[], string?, string[], string[], int, string[], string?> Cases => new()
    {
        // name, disk page (id:state, newest first), boundary, pending (id:state), query states, limit, expected page, expected next
        { "nothing pending: the page as read", ["r9:Running", "r8:Failed"], "r7", [], [], 2, ["r9", "r8"], "r8" },
        { "a pending record takes its run's place", ["r9:Running", "r8:Failed"], "r7", ["r9:Succeeded"], [], 2, ["r9:Succeeded", "r8"], "r8" },
        { "a run that no longer matches leaves the page; the next page starts below what was read", ["r9:Running", "r8:Running"], "r7", ["r9:Succeeded"], ["Running"], 2, ["r8"], "r8" },
        { "a run that now matches joins the page in its place", ["r9:Succeeded", "r7:Succeeded"], "r6", ["r8:Succeeded"], ["Succeeded"], 2, ["r9", "r8:Succeeded"], "r8" },
        { "a run that now matches beyond what was read waits for its page", ["r9:Succeeded", "r8:Succeeded"], "r7", ["r3:Succeeded"], ["Succeeded"], 2, ["r9", "r8"], "r8" },
        { "the file has no more: pending runs below fill the page", ["r9:Succeeded"], null, ["r3:Succeeded", "r2:Succeeded"], ["Succeeded"], 2, ["r9", "r3:Succeeded"], "r3" },
        { "the file has no more and the page is not full: no next page", ["r9:Succeeded"], null, ["r3:Succeeded"], ["Succeeded"], 5, ["r9", "r3:Succeeded"], null },
        { "every run read left the page: the next page starts below them", ["r9:Running"], "r8", ["r9:Failed"], ["Running"], 1, [], "r9" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_page_holds_what_this_process_knows(string name, string[] disk, string? boundary, string[] pending, string[] states, int limit, string[] expected, string? next)
    {
        var query = new RunQuery(limit, States: [.. states.Select(s => Enum.Parse<RunState>(s))]);
        var pendingRecords = pending.Select(Run).ToList();

        var page = PageMerge.Merge(
            disk.Select(Run).ToList(),
            boundary is null ? null : RunCursor.Of(Run(boundary + ":Running")),
            pendingRecords.Select(r => r.Id).ToHashSet(),
            pendingRecords.Where(r => HistoryQueries.Matches(query, r)),
            limit);

        Assert.True(expected.Select(e => e.Contains(':') ? e : e + ":" + disk.Select(Run).Single(r => r.Id == e).State).SequenceEqual(
            page.Runs.Select(r => $"{r.Id}:{r.State}")), name);
        Assert.Equal(next, page.Next?.Id);
    }

    // "r9:Succeeded": run r9, created 9 s after T0, in that state.
    private static RunRecord Run(string text)
    {
        var (id, state) = (text.Split(':')[0], Enum.Parse<RunState>(text.Split(':')[1]));
        return RunHistoryTests.Record(id + "-run-id", "wordcount", state, T0.AddSeconds(int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture))) with { Id = id };
    }
}
