using Aspire.Hosting;
using FlinkBeam.Cluster.Topology;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The library's wiring under the real orchestrator: Aspire starts the real Submitter project, the Submitter finds the
/// loopback cluster through the service-discovery entries the library gave it, becomes healthy, and the dashboard
/// commands, run through Aspire's command service, start and cancel runs against the fakes.
/// </summary>
public sealed class SubmitterStartTests
{
    [Fact]
    public async Task Started_by_Aspire_the_Submitter_becomes_healthy_runs_wordcount_and_cancels_active_runs_through_its_commands()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var loopback = await LoopbackAspireApp.StartAsync(dashboard: false, ct);
        var app = loopback.App;

        // Healthy is the Submitter's readiness gate as the library's health check reads it: Flink, the Job API, the
        // worker pool and the fake Python all answered the Submitter.
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Submitter, ct);
        foreach (var part in new[] { ResourceNames.JobManager, ResourceNames.JobServer, "flink-taskmanager-1-workerpool" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(part, ct);
        }

        var run = await app.ResourceCommands.ExecuteCommandAsync(ResourceNames.Submitter, SubmitterBuilderExtensions.RunCommand("wordcount"), ct);
        Assert.True(run.Success, run.Message);
        var wordcount = await loopback.WaitForRunAsync("wordcount", LoopbackAspireApp.IsTerminal, ct);
        Assert.True(wordcount.GetProperty("state").GetString() == "Succeeded", wordcount.ToString());
        Assert.Contains(loopback.Cluster.Flink.Jobs, j => j.Name == wordcount.GetProperty("jobName").GetString());

        var start = await app.ResourceCommands.ExecuteCommandAsync(ResourceNames.Submitter, SubmitterBuilderExtensions.RunCommand("forever"), ct);
        Assert.True(start.Success, start.Message);
        await loopback.WaitForRunAsync("forever", state => state == "Running", ct);
        var cancel = await app.ResourceCommands.ExecuteCommandAsync(ResourceNames.Submitter, SubmitterBuilderExtensions.CancelActiveRunsCommand, ct);
        Assert.True(cancel.Success, cancel.Message);
        var forever = await loopback.WaitForRunAsync("forever", LoopbackAspireApp.IsTerminal, ct);
        Assert.True(forever.GetProperty("state").GetString() == "Cancelled", forever.ToString());
    }
}
