using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Service;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Tests;

/// <summary><c>GET /runs/events</c> of the service built in the test process, with a short ping interval.</summary>
public sealed class ServiceEventStreamHostTests : LoopbackClusterTests
{
    [Fact]
    public async Task A_quiet_stream_pings_and_stopping_the_host_ends_it_cleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = ServiceHost.Build(
            [.. LoopbackCluster.AsCommandLine(Cluster.ServiceEnvironment()), "--urls=http://127.0.0.1:0"],
            builder => builder.Services.AddSingleton(new EventStreamTimings { Ping = TimeSpan.FromMilliseconds(100) }));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        await using var stream = await EventStreamConnection.OpenAsync(http, ServiceEventStreamTests.Path, null, ct);
        var fill = await stream.ReadUntilAsync(ServiceEventStreamTests.Synced, ServiceEventStreamTests.Patience, ct);
        ServiceEventStreamTests.AssertFill(fill);

        var quiet = await stream.ReadUntilAsync(read => read.Count(e => e.IsComment) >= 2, ServiceEventStreamTests.Patience, ct);
        Assert.All(quiet, e => Assert.Equal(": ping", e.ToString()));

        var stopping = app.StopAsync(ct);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(ServiceEventStreamTests.Patience);
        // A stream the host aborted would throw here; one the Submitter ended completes.
        while (await stream.ReadAsync(bounded.Token) is { } e)
        {
            Assert.True(e.IsComment, $"only pings after the fill, got {e}");
        }

        await stopping.WaitAsync(ServiceEventStreamTests.Patience, ct);
    }
}
