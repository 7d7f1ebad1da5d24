using System.Net;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The real Submitter process in service mode against a cluster that becomes ready after the service started.</summary>
public sealed class ServiceReadinessTests : LoopbackClusterTests
{
    [Fact]
    public async Task Health_is_unhealthy_until_the_gate_holds_and_AutoRun_starts_its_pipelines_once_only_then()
    {
        Cluster.Flink.TaskManagers = 0;
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__AutoRun__0"] = "ok";
        environment["Submitter__AutoRun__1"] = "fail";
        environment["Submitter__AutoRun__2"] = "ok";
        environment["Submitter__AutoRun__3"] = "not-catalogued";
        await using var service = await ServiceSubmitterProcess.StartAsync(environment, TestContext.Current.CancellationToken);

        var health = await service.GetAsync("/health");
        Assert.True(health.Status == HttpStatusCode.ServiceUnavailable, health.ToString());
        Assert.Equal("Unhealthy", health.Json.GetProperty("status").GetString());
        // The failing condition is named with what was expected and what was seen.
        var readiness = health.Json.GetProperty("checks").GetProperty(ReadinessHealthCheck.Name).GetProperty("description").GetString();
        Assert.Contains($"{FlinkClusterCheck.TaskManagersCondition}: expected", readiness, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/alive")).Status);
        // AutoRun is polling the gate: several passes saw no TaskManager, and nothing was started.
        var polled = Cluster.Flink.RequestCount("/overview");
        await EngineHarness.WaitUntilAsync(() => Cluster.Flink.RequestCount("/overview") >= polled + 3, "the gate polls Flink again");
        Assert.Empty((await service.GetAsync("/runs")).Json.EnumerateArray());
        Assert.Empty(Cluster.Flink.Jobs);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.GetAsync("/health")).Status);
        await service.Process.WaitForOutputAsync(
            l => l.Contains("AutoRun names not-catalogued, which is not in the catalog; the catalog has: ok, fail, forever, wide, echo", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Cluster.Flink.TaskManagers = 1;

        await service.WaitForStatusAsync("/health", HttpStatusCode.OK);
        var runs = new List<System.Text.Json.JsonElement>();
        await EngineHarness.WaitUntilAsync(async () =>
        {
            runs = (await service.GetAsync("/runs")).Json.EnumerateArray().ToList();
            return runs.Count == 2 && runs.All(r => ServiceSubmitterProcess.State(r) is "Succeeded" or "Failed");
        }, "both AutoRun runs ended");
        Assert.Equal(
            ["fail: Failed", "ok: Succeeded"],
            runs.Select(r => $"{r.GetProperty("pipeline").GetString()}: {ServiceSubmitterProcess.State(r)}").Order(StringComparer.Ordinal));
        Assert.Equal(
            [$"{FlinkJobStates.Failed} fail-", $"{FlinkJobStates.Finished} ok-"],
            Cluster.Flink.Jobs.Select(j => $"{j.State} {j.Name[..(j.Name.IndexOf('-') + 1)]}").Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/health")).Status);
    }
}
