using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Service;

public static class SubmitterServiceCollectionExtensions
{
    /// <summary>
    /// Service mode: options read from the <c>Submitter</c> section (every unreadable value and unknown key reported by
    /// name), endpoints resolved from Aspire's <c>services__*</c> entries, all validated at start; the run engine as the
    /// data directory's one service; the readiness gate and its <c>/health</c> check; taking over runs whose Submitter is
    /// gone, at start and while running; cancellation at shutdown; AutoRun; the API's JSON, Problem Details (failures of the
    /// history among them, <see cref="HistoryProblems"/>) and body limit.
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

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SubmitterOptions>>((kestrel, options) =>
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<HistoryProblems>();
        return services;
    }
}
