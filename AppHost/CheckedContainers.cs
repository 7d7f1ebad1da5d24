using FlinkBeam.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.AppHost;

/// <summary>Adds resources whose health is a check of their own, registered under the key their <c>WithHealthCheck</c> names.</summary>
internal static class CheckedContainers
{
    /// <summary>
    /// One instance per resource, registered by key (like Aspire's own integrations): each check carries its own
    /// resource's address, so a shared singleton per check type would probe the wrong resource.
    /// </summary>
    public static void AddResourceHealthCheck(this IDistributedApplicationBuilder builder, string key, IHealthCheck check) =>
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, check, failureStatus: null, tags: null));

    /// <summary>Adds a container resource running <paramref name="image"/>, healthy when <paramref name="check"/> says so.</summary>
    public static IResourceBuilder<T> AddCheckedContainer<T>(
        this IDistributedApplicationBuilder builder, T resource, ContainerImage image, Func<T, IHealthCheck> check)
        where T : ContainerResource
    {
        var healthCheckKey = $"{resource.Name}_check";
        builder.AddResourceHealthCheck(healthCheckKey, check(resource));
        return builder.AddResource(resource)
            .WithImage(image.Image, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithHealthCheck(healthCheckKey);
    }
}
