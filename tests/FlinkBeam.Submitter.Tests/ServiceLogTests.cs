using System.Net;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// What the service writes to its log, with the log levels it starts from, while the cluster it was given refuses every
/// connection (the normal state while a cluster starts).
/// </summary>
public sealed class ServiceLogTests : LoopbackClusterTests
{
    [Fact]
    public async Task An_unreachable_cluster_is_reported_in_the_Submitters_words_without_the_libraries_stack_traces()
    {
        var output = await ServeAgainstClosedPortAsync(new Dictionary<string, string>());

        Assert.Contains("Waiting for the cluster: ", output, StringComparison.Ordinal);
        Assert.Contains("connection refused", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Polly", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Grpc.Net.Client", output, StringComparison.Ordinal);
        Assert.DoesNotContain("HealthCheckService", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request finished", output, StringComparison.Ordinal);
        Assert.DoesNotContain("HttpRequestException", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_levels_sit_beneath_the_configuration_so_a_category_can_be_turned_back_on()
    {
        var output = await ServeAgainstClosedPortAsync(new Dictionary<string, string> { ["Logging__LogLevel__Polly"] = "Warning" });

        Assert.Contains("warn: Polly", output, StringComparison.Ordinal);
        Assert.Contains("Connection refused", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Serves with the Submitter's default log levels and every cluster endpoint on a port nobody listens on, asks
    /// <c>/health</c> a few times, stops the service and returns everything it wrote.
    /// </summary>
    private async Task<string> ServeAgainstClosedPortAsync(IDictionary<string, string> extra)
    {
        var closed = new HostAndPort("127.0.0.1", FakePipelineFiles.ClosedPort());
        var environment = Cluster.ServiceEnvironment();
        foreach (var key in environment.Keys.Where(k => k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }

        foreach (var key in environment.Keys.Where(k => k.StartsWith("services__", StringComparison.Ordinal)).ToList())
        {
            environment[key] = key.EndsWith($"__{EndpointNames.WorkerPool}__0", StringComparison.Ordinal) ? $"tcp://{closed}" : $"http://{closed}";
        }

        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        await using var service = await ServiceSubmitterProcess.StartAsync(environment, TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
        {
            var health = await service.GetAsync("/health");
            Assert.True(health.Status == HttpStatusCode.ServiceUnavailable, health.ToString());
        }

        await service.Process.WaitForOutputAsync(
            l => l.Contains("Waiting for the cluster", StringComparison.Ordinal), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        service.Process.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        Assert.Equal(0, await service.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        return service.Process.Stdout + service.Process.Stderr;
    }
}
