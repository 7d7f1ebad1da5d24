using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.Submitter.Tests;

/// <summary>Flink's job list as the runs being followed see it, polled from the loopback Flink fake.</summary>
public sealed class FlinkJobWatcherTests
{
    [Fact]
    public async Task A_job_list_is_dated_when_it_was_asked_however_late_its_answer_comes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var flink = await FakeFlinkCluster.StartAsync(ct);
        var arrivals = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        flink.Interceptor = async context =>
        {
            if (context.Request.Path == "/jobs/overview")
            {
                arrivals.Enqueue(DateTimeOffset.UtcNow);
                // A loaded machine: the answer comes long after the question.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }

            return false;
        };
        using var http = new HttpClient { BaseAddress = flink.RestUrl };
        await using var watcher = new FlinkJobWatcher(new FlinkRestClient(http), new SupervisionTimings(), TimeProvider.System, NullLogger.Instance);

        using (watcher.Subscribe())
        {
            var snapshot = await watcher.NextAsync(0, ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            var answered = DateTimeOffset.UtcNow;

            Assert.NotNull(snapshot.Jobs);
            Assert.True(arrivals.TryPeek(out var asked));
            Assert.True(snapshot.At <= asked, $"the list is dated {snapshot.At:O}, after the question reached Flink at {asked:O}");
            Assert.True(asked < answered);
        }
    }
}
