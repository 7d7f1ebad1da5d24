using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Metrics;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Service;

public static class SubmitterServiceCollectionExtensions
{
    /// <summary>
    /// Service mode: options read from the <c>Submitter</c> section (every unreadable value and unknown key reported by
    /// name), endpoints resolved from Aspire's <c>services__*</c> entries, all validated at start; the run engine as the
    /// data directory's one service; the readiness gate and its <c>/health</c> check; taking over runs whose Submitter is
    /// gone, at start and while running; cancellation at shutdown; AutoRun; the metrics of running Flink jobs; the API's
    /// access rules (<see cref="ApiAccess"/>), JSON, Problem Details (failures of the history among them,
    /// <see cref="HistoryProblems"/>) and size limits, and the timings of its event stream.
    /// </summary>
    public static IServiceCollection AddSubmitterService(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SubmitterOptions>()
            .Configure(options => SubmitterOptionsBinder.Bind(configuration.GetSection(SubmitterOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<SubmitterEndpointResolution>();
        services.AddSingleton<IPostConfigureOptions<SubmitterOptions>>(sp => sp.GetRequiredService<SubmitterEndpointResolution>());
        services.AddSubmitterEngine(SubmitterInstance.ServeRole);
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Name);

        // Registered in this order: runs are taken over before AutoRun starts; at shutdown AutoRun stops first.
        services.AddHostedService<RunLifecycleService>();
        services.AddHostedService<AutoRunService>();
        services.AddJobMetrics();
        services.TryAddSingleton(new EventStreamTimings());

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SubmitterOptions>>().Value;
            return new ApiAccess(
                string.IsNullOrEmpty(options.ApiKey) ? null : new ApiKey(options.ApiKey),
                options.AllowedHosts.Concat(ListenAddresses.NamedHosts(ListenAddresses.From(configuration))));
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SubmitterOptions>>((kestrel, options) =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodyBytes;
            // Above the API's own limits, so an over-long address or header block is answered by ApiAccess as Problem Details.
            kestrel.Limits.MaxRequestLineSize = ApiAccess.ServerLimit;
            kestrel.Limits.MaxRequestHeadersTotalSize = ApiAccess.ServerLimit;
        });
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<HistoryProblems>();
        return services;
    }
}
