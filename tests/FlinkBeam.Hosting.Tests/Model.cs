using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// Builds application models with <see cref="DistributedApplication.CreateBuilder()"/> (no orchestrator) and evaluates
/// resources the way Aspire does when it starts them: arguments and environment through
/// <see cref="ExecutionConfigurationBuilder"/>, in run mode after giving every endpoint an address, in publish mode as
/// expressions.
/// </summary>
internal static class Model
{
    public static readonly FlinkClusterSettings Flink = new() { Versions = VersionSet.Default, TaskManagers = 2, SlotsPerTaskManager = 2 };

    public static readonly FlinkBeamSettings Settings = new(VersionSet.Default, Flink, SdkEnvironment.External, ["wordcount"]);

    /// <summary>A builder in run mode (what <c>dotnet run</c> builds).</summary>
    public static IDistributedApplicationBuilder RunMode() => DistributedApplication.CreateBuilder();

    /// <summary>A builder in publish mode (what <c>aspire publish</c> builds).</summary>
    public static IDistributedApplicationBuilder PublishMode() => DistributedApplication.CreateBuilder(["--operation", "publish"]);

    public static T Single<T>(this DistributedApplication app, string name)
        where T : IResource =>
        Assert.Single(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<T>(), r => r.Name == name);

    public static EndpointAnnotation Endpoint(IResource resource, string name)
    {
        Assert.True(resource.TryGetEndpoints(out var endpoints), $"{resource.Name} has no endpoints");
        return Assert.Single(endpoints, e => e.Name == name);
    }

    public static ContainerMountAnnotation Mount(IResource resource, string target)
    {
        Assert.True(resource.TryGetContainerMounts(out var mounts), $"{resource.Name} has no mounts");
        return Assert.Single(mounts, m => m.Target == target);
    }

    public static IReadOnlyList<WaitAnnotation> Waits(IResource resource) =>
        resource.TryGetAnnotationsOfType<WaitAnnotation>(out var waits) ? waits.ToList() : [];

    public static IReadOnlyList<string> HealthCheckKeys(IResource resource) =>
        resource.Annotations.OfType<HealthCheckAnnotation>().Select(a => a.Key).ToList();

    /// <summary>The registered health check of that key, created the way the health check service creates it.</summary>
    public static IHealthCheck HealthCheck(DistributedApplication app, string key)
    {
        var registrations = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        return Assert.Single(registrations, r => r.Name == key).Factory(app.Services);
    }

    public static async Task<HealthCheckResult> CheckAsync(DistributedApplication app, string key)
    {
        var registrations = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        var registration = Assert.Single(registrations, r => r.Name == key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await registration.Factory(app.Services).CheckHealthAsync(new HealthCheckContext { Registration = registration }, timeout.Token);
    }

    /// <summary>The arguments the resource would start with.</summary>
    public static async Task<IReadOnlyList<string>> ArgumentsAsync(DistributedApplication app, IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(ExecutionContext(app), NullLogger.Instance, Timeout());
        Assert.Null(configuration.Exception);
        return configuration.Arguments.Select(a => a.Value).ToList();
    }

    /// <summary>
    /// The environment the resource would start with. In run mode every endpoint of the model first gets a loopback
    /// address and a target port, as the orchestrator gives them (endpoint values wait for that).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(DistributedApplication app, IResource resource)
    {
        var context = ExecutionContext(app);
        if (context.IsRunMode)
        {
            AllocateEndpoints(app.Services.GetRequiredService<DistributedApplicationModel>());
        }

        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(context, NullLogger.Instance, Timeout());
        Assert.Null(configuration.Exception);

        // A key may be contributed more than once; the last one wins, as in a process environment.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.EnvironmentVariables)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Gives the endpoint the address the orchestrator would, here a loopback port a fake listens on.</summary>
    public static void Allocate(IResource resource, string endpoint, int port)
    {
        var annotation = Endpoint(resource, endpoint);
        annotation.AllocatedEndpoint = new AllocatedEndpoint(
            annotation, "127.0.0.1", port, targetPortExpression: port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A builder in run mode whose Submitter <paramref name="name"/> has the API key <paramref name="apiKey"/>.</summary>
    public static IDistributedApplicationBuilder RunModeWithApiKey(string name, string apiKey)
    {
        var builder = RunMode();
        builder.Configuration[$"Parameters:{name}-api-key"] = apiKey;
        return builder;
    }

    /// <summary>The port <see cref="EnvironmentAsync"/> gave an endpoint.</summary>
    public static int AllocatedPort(IResource resource, string endpoint) =>
        Endpoint(resource, endpoint).AllocatedEndpoint?.Port ?? throw new InvalidOperationException($"{resource.Name}/{endpoint} has no address");

    private static void AllocateEndpoints(DistributedApplicationModel model)
    {
        var port = 41000;
        foreach (var resource in model.Resources.OfType<IResourceWithEndpoints>())
        {
            if (!resource.TryGetEndpoints(out var endpoints))
            {
                continue;
            }

            foreach (var endpoint in endpoints.Where(e => e.AllocatedEndpoint is null))
            {
                var allocated = port++;
                endpoint.AllocatedEndpoint = new AllocatedEndpoint(
                    endpoint, "localhost", allocated, targetPortExpression: (endpoint.TargetPort ?? allocated).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static DistributedApplicationExecutionContext ExecutionContext(DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationExecutionContext>();

    // Endpoint values wait for allocation: a forgotten one fails the test instead of hanging it.
    private static CancellationToken Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return timeout.Token;
    }
}
