using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;

namespace FlinkBeam.Submitter.Tests;

public sealed class EngineConcurrencyTests
{
    [Fact]
    public async Task Fifty_concurrent_runs_all_reach_the_right_terminal_state_with_no_lost_transition()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await EngineHarness.StartAsync();
        var manager = h.CreateManager();
        var expected = new Dictionary<string, RunState>();
        var pipelines = Enumerable.Range(0, 50).Select(i => (i % 5) switch
        {
            0 or 1 => ("succeed", RunState.Succeeded),
            2 => ("fail", RunState.Failed),
            3 => ("fail-after-finished", RunState.Succeeded),
            _ => ("no-job", RunState.Failed),
        }).ToList();

        var started = await Task.WhenAll(pipelines.Select(async p =>
        {
            var record = await manager.StartAsync(new RunRequest(p.Item1), ct);
            lock (expected)
            {
                expected[record.Id] = p.Item2;
            }

            return record;
        }));
        var finished = await Task.WhenAll(started.Select(r => manager.WaitAsync(r.Id, ct).WaitAsync(EngineHarness.RunTimeout, ct)));

        Assert.Equal(50, finished.Select(r => r.JobName).Distinct().Count());
        foreach (var run in finished)
        {
            Assert.True(expected[run.Id] == run.State, $"Run {run.Id} of {run.Pipeline} ended {run.State}: {run.Error}");
            var chain = h.Transitions(run.Id);
            Assert.Equal("Pending", chain[0].From);
            for (var i = 1; i < chain.Count; i++)
            {
                Assert.Equal(chain[i - 1].To, chain[i].From);
            }

            Assert.Equal(run.State.ToString(), chain[^1].To);
            Assert.Equal(["Pending", "WaitingForCluster", "Launching"], chain.Take(3).Select(t => t.From));
        }

        // Every run's final record is in the history, identical to what callers saw.
        await manager.ShutdownAsync(cancelActive: true, ct);
        using var store = TestHistory.Open(h.DataDirectory);
        var stored = store.Query(new RunQuery(RunQuery.MaxLimit)).Runs.ToDictionary(r => r.Id);
        Assert.Equal(50, stored.Count);
        foreach (var run in finished)
        {
            Assert.Equal(RunRecordJson.Serialize(run), RunRecordJson.Serialize(stored[run.Id]));
        }

        Assert.Equal(30, h.Flink.Jobs.Count(j => j.State == "FINISHED"));
        Assert.Equal(10, h.Flink.Jobs.Count(j => j.State == "FAILED"));
    }
}
