using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Events;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Metrics;

public static class JobMetricsServiceCollectionExtensions
{
    /// <summary>
    /// The metrics of running Flink jobs (service mode): <see cref="JobMetricsCollector"/> as a hosted service, reading
    /// every <see cref="SubmitterOptions.MetricsInterval"/> through the Flink REST metrics client (no retries, its own
    /// timeout), its <c>flinkbeam.job.*</c> instruments on the Submitter's meter. Needs the run engine
    /// (<see cref="SubmitterEngineServiceCollectionExtensions.AddSubmitterEngine"/>).
    /// </summary>
    public static IServiceCollection AddJobMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp =>
        {
            var reader = new JobMetricsReader(
                sp.GetRequiredService<IHttpClientFactory>().CreateFlinkRestMetricsClient(), sp.GetRequiredService<ILogger<JobMetricsReader>>());
            var collector = new JobMetricsCollector(
                sp.GetRequiredService<IRunManager>(), reader, sp.GetRequiredService<RunEvents>(),
                sp.GetRequiredService<IOptions<SubmitterOptions>>().Value.MetricsInterval,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<JobMetricsCollector>>());
            JobMetricsInstruments.Observe(sp.GetRequiredService<SubmitterTelemetry>().Meter, () => collector.Current);
            return collector;
        });
        services.AddHostedService(sp => sp.GetRequiredService<JobMetricsCollector>());
        return services;
    }
}
