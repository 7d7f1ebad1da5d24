using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Hosting;

public static class SubmitterServiceCollectionExtensions
{
    /// <summary>
    /// Service mode: options bound from the <c>Submitter</c> section, endpoints left empty resolved by service discovery
    /// (the host's service defaults), validated at start; the readiness gate and its <c>/health</c> check; the run engine; recovery at start,
    /// cancellation at shutdown; AutoRun; the API's JSON (camelCase, enums as names) and Problem Details.
    /// </summary>
    public static IServiceCollection AddSubmitterService(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SubmitterOptions>()
            .Bind(configuration.GetSection(SubmitterOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<SubmitterEndpointResolution>();
        services.AddSingleton<IPostConfigureOptions<SubmitterOptions>>(sp => sp.GetRequiredService<SubmitterEndpointResolution>());
        services.AddSingleton<IValidateOptions<SubmitterOptions>, SubmitterOptionsValidator>();

        services.AddReadinessGate();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Name);
        services.AddSubmitterEngine();

        // Registered in this order: the history is recovered before AutoRun starts; at shutdown AutoRun stops first.
        services.AddHostedService<RunLifecycleService>();
        services.AddHostedService<AutoRunService>();

        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.AddProblemDetails();
        return services;
    }
}
