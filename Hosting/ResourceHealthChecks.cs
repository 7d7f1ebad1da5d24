using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting;

/// <summary>Health checks of one resource each, registered under a key derived from the resource's name.</summary>
internal static class ResourceHealthChecks
{
    /// <summary>
    /// Registers <paramref name="check"/> under <c>{resource}_{what}check</c> and links the resource to it. One instance
    /// per resource, like Aspire's own integrations: each check carries its own resource's address, so a shared
    /// singleton per check type would probe the wrong resource.
    /// </summary>
    /// <param name="resource">The resource the check is about.</param>
    /// <param name="check">The check.</param>
    /// <param name="part">The part of the resource checked, e.g. <c>workerpool</c>; none when the check is about the whole resource.</param>
    public static IResourceBuilder<T> WithOwnHealthCheck<T>(this IResourceBuilder<T> resource, IHealthCheck check, string? part = null)
        where T : IResource
    {
        var key = Key(resource.Resource.Name, part);
        resource.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(key, check, failureStatus: null, tags: null));
        return resource.WithHealthCheck(key);
    }

    /// <summary>The key of a resource's own health check, e.g. <c>flink-jobmanager_check</c> or <c>flink-taskmanager-1_workerpool_check</c>.</summary>
    public static string Key(string resourceName, string? part = null) =>
        part is null ? $"{resourceName}_check" : $"{resourceName}_{part}_check";

    /// <summary>Adds a container resource running <paramref name="image"/> from its registry.</summary>
    public static IResourceBuilder<T> AddContainer<T>(this IDistributedApplicationBuilder builder, T resource, ContainerImage image)
        where T : ContainerResource =>
        builder.AddResource(resource)
            .WithImage(image.Image, image.Tag)
            .WithImageRegistry(image.Registry);
}
