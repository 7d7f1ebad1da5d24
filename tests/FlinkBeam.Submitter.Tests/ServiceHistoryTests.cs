using System.Net;
using System.Text.Json;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Tests;

/// <summary><c>GET /runs</c> of the real service over a history of many runs: pages, cursors and filters.</summary>
public sealed class ServiceHistoryTests : LoopbackClusterTests
{
    [Fact]
    public async Task The_history_comes_in_pages_linked_by_a_cursor_and_filtered_by_state_and_pipeline()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        using (var store = TestHistory.Open(Cluster.DataDirectory))
        {
            for (var i = 0; i < 250; i++)
            {
                store.Save(new RunRecord
                {
                    Id = $"{i:d4}aaaabbbbcccc", Pipeline = i % 2 == 0 ? "ok" : "fail", JobName = $"run-{i:d4}aaaa",
                    State = i % 2 == 0 ? RunState.Succeeded : RunState.Failed, CreatedAt = start.AddSeconds(i), UpdatedAt = start.AddSeconds(i),
                    // About a kilobyte each, as runs with some output are: a page of them is written in several pieces.
                    LastOutput = [$"line {i}: " + new string('x', 800)],
                });
            }
        }

        await using var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), ct);

        var first = await service.Http.GetAsync("/runs", ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(100, (await Runs(first)).Count);

        var seen = new List<string>();
        var path = "/runs?state=Failed&limit=30";
        while (true)
        {
            using var page = await service.Http.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var runs = await Runs(page);
            Assert.All(runs, r => Assert.Equal("Failed", r.GetProperty("state").GetString()));
            seen.AddRange(runs.Select(r => r.GetProperty("id").GetString()!));
            if (!page.Headers.TryGetValues("Link", out var links))
            {
                Assert.False(page.Headers.Contains("X-Next-Cursor"));
                break;
            }

            var link = Assert.Single(links);
            Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
            Assert.Contains($"after={Uri.EscapeDataString(page.Headers.GetValues("X-Next-Cursor").Single())}", link, StringComparison.Ordinal);
            path = link[1..link.IndexOf('>', StringComparison.Ordinal)];
            Assert.Contains("state=Failed", path, StringComparison.Ordinal);
        }

        Assert.Equal(Enumerable.Range(0, 250).Where(i => i % 2 == 1).Reverse().Select(i => $"{i:d4}aaaabbbbcccc"), seen);

        var ok = await Runs(await service.Http.GetAsync("/runs?pipeline=ok&limit=1000", ct));
        Assert.Equal(125, ok.Count);
        Assert.Equal(Enumerable.Range(0, 250).Where(i => i % 2 == 0).Reverse().Select(i => $"line {i}: " + new string('x', 800)),
            ok.Select(r => r.GetProperty("lastOutput")[0].GetString()));
        Assert.All(ok, r => Assert.Equal("ok", r.GetProperty("pipeline").GetString()));
    }

    [Theory]
    [InlineData("/runs?limit=0", "limit '0' is not a whole number from 1 to 1000.")]
    [InlineData("/runs?limit=ten", "limit 'ten' is not a whole number from 1 to 1000.")]
    [InlineData("/runs?state=Done", "state 'Done' is not one of: Pending, WaitingForCluster, Launching, Submitted, Running, Succeeded, Failed, Cancelled, TimedOut.")]
    [InlineData("/runs?after=yesterday", "after 'yesterday' is not a cursor of this history; use the X-Next-Cursor of the previous page.")]
    [InlineData("/runs?page=2", "'page' is not a query parameter of /runs; use limit, after, state, pipeline.")]
    public async Task A_bad_history_query_is_a_400_problem_naming_the_parameter(string path, string detail)
    {
        await using var service = await ServiceSubmitterProcess.StartAsync(Cluster.ServiceEnvironment(), TestContext.Current.CancellationToken);

        var problem = (await service.GetAsync(path)).AssertProblem(HttpStatusCode.BadRequest);

        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    private static async Task<List<JsonElement>> Runs(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).EnumerateArray().ToList();
}
