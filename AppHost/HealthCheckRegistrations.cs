using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.AppHost;

/// <summary>Registers a resource's health check instance under the key its <c>WithHealthCheck</c> names.</summary>
internal static class HealthCheckRegistrations
{
    /// <summary>
    /// One instance per resource, registered by key (like Aspire's own integrations): each check carries its own
    /// resource's address, so a shared singleton per check type would probe the wrong resource.
    /// </summary>
    public static void AddResourceHealthCheck(this IDistributedApplicationBuilder builder, string key, IHealthCheck check) =>
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, check, failureStatus: null, tags: null));
}
