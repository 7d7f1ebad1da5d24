using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.AppHost.Tests;

/// <summary>
/// The AppHost's model, built by running its entry point up to <c>Build()</c>: no container runtime, no DCP.
/// </summary>
internal static class AppHostModel
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.FlinkBeam_AppHost>(args, TestContext.Current.CancellationToken);

    /// <summary>The Python minor version the AppHost chooses by default here: the one of python3 on PATH.</summary>
    public static string DefaultPython => FlinkBeam.Testing.FakePipelineFiles.RealPythonMinor;

    public static T Single<T>(this IDistributedApplicationTestingBuilder builder, string name)
        where T : IResource =>
        Assert.Single(builder.Resources.OfType<T>(), r => r.Name == name);

    /// <summary>The arguments a resource would start with; fine for resources whose arguments are plain text.</summary>
    public static async Task<IReadOnlyList<string>> ArgumentsAsync(this IDistributedApplicationTestingBuilder builder, IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(builder.ExecutionContext, NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Null(configuration.Exception);
        return configuration.Arguments.Select(a => a.Value).ToList();
    }

    /// <summary>
    /// The environment a resource would start with, as the orchestrator builds it in run mode. Endpoint values wait
    /// for allocation, so every endpoint of the model gets a loopback address first (as Aspire's own tests do).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(DistributedApplication app, IResource resource)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var port = 41000;
        foreach (var withEndpoints in model.Resources.OfType<IResourceWithEndpoints>())
        {
            if (withEndpoints.TryGetEndpoints(out var endpoints))
            {
                foreach (var endpoint in endpoints.Where(e => e.AllocatedEndpoint is null))
                {
                    // With the target port as the orchestrator gives it: a project's own endpoints are read through it.
                    var allocated = port++;
                    endpoint.AllocatedEndpoint = new AllocatedEndpoint(
                        endpoint, "localhost", allocated, targetPortExpression: (endpoint.TargetPort ?? allocated).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, timeout.Token);
        Assert.Null(configuration.Exception);

        // A key may be contributed more than once; the last one wins, as in a process environment.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.EnvironmentVariables)
        {
            environment[key] = value;
        }

        return environment;
    }
}
