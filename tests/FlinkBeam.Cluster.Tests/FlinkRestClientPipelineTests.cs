using System.Net;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace FlinkBeam.Cluster.Tests;

/// <summary>The registered Flink REST client's one resilience pipeline, tuned for polling, seen on a real loopback server.</summary>
public sealed class FlinkRestClientPipelineTests
{
    private const string Overview = """{"taskmanagers":1,"slots-total":2,"slots-available":2}""";
    private const string JobId = "0123456789abcdef0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(LoopbackHttpServer Server, Func<int> Requests)> StartAsync(Func<bool> healthy)
    {
        var requests = 0;
        var server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, context =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = healthy() ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(healthy() ? Overview : """{"errors":["JobManager is starting"]}""", context.RequestAborted);
        }, Ct);
        return (server, () => Volatile.Read(ref requests));
    }

    private static ServiceProvider Services(Uri address, bool defaultsFirst)
    {
        var services = new ServiceCollection();
        // The template's defaults give every client the standard handler; registered before or after, it must not add a second.
        if (defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }

        services.AddFlinkRestClient(_ => address);
        if (!defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }

        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_client_has_exactly_one_pipeline_whatever_the_defaults_add(bool defaultsFirst)
    {
        var (server, requests) = await StartAsync(() => false);
        await using var _ = server;
        await using var services = Services(server.Url, defaultsFirst);

        var handlers = new List<string>();
        for (var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(typeof(FlinkRestClient).Name);
             handler is DelegatingHandler delegating;
             handler = delegating.InnerHandler)
        {
            handlers.Add(delegating.GetType().Name);
        }

        var error = await Assert.ThrowsAsync<FlinkRestException>(() => services.GetRequiredService<FlinkRestClient>().GetOverviewAsync(Ct));

        Assert.Single(handlers, name => name == "ResilienceHandler");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("JobManager is starting", error.Message, StringComparison.Ordinal);
        // The tuned pipeline's one retry; the standard one would have made four requests, two pipelines more.
        Assert.Equal(2, requests());
    }

    [Fact]
    public async Task A_cancel_that_fails_is_not_sent_again()
    {
        var (server, requests) = await StartAsync(() => false);
        await using var _ = server;
        await using var services = Services(server.Url, defaultsFirst: true);

        await Assert.ThrowsAsync<FlinkRestException>(() => services.GetRequiredService<FlinkRestClient>().CancelJobAsync(JobId, Ct));

        Assert.Equal(1, requests());
    }

    [Fact]
    public async Task Calls_pause_while_nearly_all_fail_and_a_JobManager_that_is_back_is_seen_again()
    {
        var healthy = false;
        var (server, requests) = await StartAsync(() => Volatile.Read(ref healthy));
        await using var _ = server;
        await using var services = Services(server.Url, defaultsFirst: true);
        var client = services.GetRequiredService<FlinkRestClient>();

        FlinkRestException? paused = null;
        for (var call = 0; call < 100 && paused is null; call++)
        {
            var error = await Assert.ThrowsAsync<FlinkRestException>(() => client.GetOverviewAsync(Ct));
            paused = error.InnerException is BrokenCircuitException ? error : null;
        }

        Assert.NotNull(paused);
        Assert.Equal(FlinkRestFailureKind.Unreachable, paused.Kind);
        Assert.Contains("not sent", paused.Message, StringComparison.Ordinal);
        var sent = requests();
        await Assert.ThrowsAsync<FlinkRestException>(() => client.GetOverviewAsync(Ct));
        Assert.Equal(sent, requests());

        Volatile.Write(ref healthy, true);
        FlinkOverview? overview = null;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        while (overview is null)
        {
            try
            {
                overview = await client.GetOverviewAsync(patience.Token);
            }
            catch (FlinkRestException)
            {
                await Task.Delay(50, patience.Token);
            }
        }

        Assert.Equal(1, overview.TaskManagers);
        Assert.True(requests() > sent);
    }

    [Fact]
    public async Task The_metrics_client_sends_each_request_once_with_no_resilience_pipeline_only_a_timeout()
    {
        var (server, requests) = await StartAsync(() => false);
        await using var _ = server;
        await using var services = Services(server.Url, defaultsFirst: true);
        var factory = services.GetRequiredService<IHttpClientFactory>();

        var handlers = new List<string>();
        for (var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(FlinkRestClientServiceCollectionExtensions.MetricsClientName);
             handler is DelegatingHandler delegating;
             handler = delegating.InnerHandler)
        {
            handlers.Add(delegating.GetType().Name);
        }

        var error = await Assert.ThrowsAsync<FlinkRestException>(() => factory.CreateFlinkRestMetricsClient().GetJobMetricsAsync(JobId, ["numRestarts"], Ct));

        Assert.DoesNotContain("ResilienceHandler", handlers);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, requests());
        Assert.Equal(FlinkRestClientServiceCollectionExtensions.AttemptTimeout, factory.CreateClient(FlinkRestClientServiceCollectionExtensions.MetricsClientName).Timeout);
    }
}
