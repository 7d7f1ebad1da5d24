using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace FlinkBeam.Cluster.Flink;

/// <summary>Registers the Flink REST typed client with IHttpClientFactory.</summary>
public static class FlinkRestClientServiceCollectionExtensions
{
    /// <summary>How long one attempt may take: the readiness gate's condition timeout, so a hung JobManager fails one poll, not many.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a call may take with its retry.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit fails calls at once before letting one through to see whether the JobManager is back.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);

    /// <summary>The named client for reading job metrics that <see cref="AddFlinkRestClient"/> registers beside the typed one.</summary>
    public const string MetricsClientName = "FlinkRestClient.Metrics";

    /// <summary>
    /// Registers <see cref="FlinkRestClient"/> as a typed client with exactly one resilience pipeline, the standard one
    /// tuned for a poller (whatever the host's defaults added is removed first): the gate and the job watcher ask again
    /// within milliseconds, so a GET is retried once, quickly, to get past a dropped connection and no more; each attempt
    /// has <see cref="AttemptTimeout"/>; the circuit opens only when nearly every call fails and lets a call through again
    /// after <see cref="BreakDuration"/>, so a JobManager that is back is seen within a poll or two. The factory's
    /// per-request log lines are left out: the calls are traced and metered, and they happen many times a second.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="restAddress">
    /// Flink REST's base address: <see cref="ServiceAddresses.FlinkRest"/> under service discovery, or an explicit URL such
    /// as <c>http://localhost:8081</c> (service discovery passes it through unchanged).
    /// </param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddFlinkRestClient(this IServiceCollection services, Func<IServiceProvider, Uri> restAddress)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(restAddress);

        // The typed client is made by a delegate, not by the factory's reflection-compiled activator: less to load at start.
        var builder = services
            .AddHttpClient(nameof(FlinkRestClient), (provider, http) => Address(http, restAddress(provider), Timeout.InfiniteTimeSpan))
            .AddTypedClient((http, _) => new FlinkRestClient(http));
        WithoutDefaults(builder);
        builder.AddStandardResilienceHandler(ForPolling);
        // Polls run many times a second and are traced and metered; a log line per request would drown the logs.
        builder.RemoveAllLoggers();

        WithoutDefaults(services.AddHttpClient(MetricsClientName, (provider, http) => Address(http, restAddress(provider), AttemptTimeout)))
            .RemoveAllLoggers();
        return builder;
    }

    /// <summary>A <see cref="FlinkRestClient"/> on the metrics client <see cref="AddFlinkRestClient"/> registered (<see cref="MetricsClientName"/>).</summary>
    /// <param name="factory">The client factory of a container on which <see cref="AddFlinkRestClient"/> was called.</param>
    /// <returns>The client.</returns>
    public static FlinkRestClient CreateFlinkRestMetricsClient(this IHttpClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new FlinkRestClient(factory.CreateClient(MetricsClientName));
    }

    private static void Address(HttpClient http, Uri address, TimeSpan timeout)
    {
        http.BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        http.Timeout = timeout;
    }

    private static IHttpClientBuilder WithoutDefaults(IHttpClientBuilder builder)
    {
#pragma warning disable EXTEXP0001 // Experimental, and the library's way to take back what ConfigureHttpClientDefaults added.
        return builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }

    private static void ForPolling(HttpStandardResilienceOptions options)
    {
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.BackoffType = DelayBackoffType.Constant;
        options.Retry.UseJitter = false;
        options.Retry.DisableForUnsafeHttpMethods();
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = TotalTimeout;
        options.CircuitBreaker.FailureRatio = 0.9;
        options.CircuitBreaker.MinimumThroughput = 20;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.BreakDuration = BreakDuration;
    }
}
