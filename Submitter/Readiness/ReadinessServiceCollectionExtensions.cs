using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlinkBeam.Submitter.Readiness;

public static class ReadinessServiceCollectionExtensions
{
    /// <summary>The readiness gate and its Python check; both read <c>IOptions&lt;SubmitterOptions&gt;</c>.</summary>
    public static IServiceCollection AddReadinessGate(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ReadinessPolling());
        services.TryAddSingleton<PythonEnvironmentCheck>();
        services.TryAddSingleton<ReadinessGate>();
        services.TryAddSingleton<IReadinessGate>(sp => sp.GetRequiredService<ReadinessGate>());
        services.TryAddSingleton<ReadinessHealthCheck>();
        return services;
    }
}
