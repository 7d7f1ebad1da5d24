using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Python;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Testing;

namespace FlinkBeam.AppHost.Tests;

/// <summary>The Submitter project resource: what it references, waits for, is configured with, and the dashboard commands.</summary>
public sealed class SubmitterModelTests
{
    private static string VenvPython =>
        OperatingSystem.IsWindows()
            ? Path.Combine(RepositoryPaths.Pipelines, ".venv", "Scripts", "python.exe")
            : Path.Combine(RepositoryPaths.Pipelines, ".venv", "bin", "python");

    [Fact]
    public async Task The_environment_carries_the_cluster_endpoints_versions_TaskManager_count_and_the_pipelines()
    {
        await using var builder = await AppHostModel.CreateAsync();
        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        var submitter = builder.Single<ProjectResource>(ResourceNames.Submitter);

        var environment = await AppHostModel.EnvironmentAsync(app, submitter);

        Assert.StartsWith("http://localhost:", environment[$"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0"], StringComparison.Ordinal);
        Assert.StartsWith("http://localhost:", environment[$"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0"], StringComparison.Ordinal);
        Assert.StartsWith("http://localhost:", environment[$"services__{ResourceNames.JobServer}__{EndpointNames.ArtifactStaging}__0"], StringComparison.Ordinal);
        foreach (var index in new[] { 1, 2 })
        {
            Assert.StartsWith("tcp://localhost:", environment[$"services__{ResourceNames.TaskManager(index)}__{EndpointNames.WorkerPool}__0"], StringComparison.Ordinal);
        }

        Assert.Equal("Portable", environment["Submitter__Mode"]);
        Assert.Equal(VersionDefaults.Beam, environment["Submitter__BeamVersion"]);
        Assert.Equal(VersionDefaults.Flink, environment["Submitter__FlinkVersion"]);
        Assert.Equal(VersionDefaults.Python, environment["Submitter__PythonVersion"]);
        Assert.Equal("2", environment["Submitter__TaskManagers"]);
        Assert.Equal("External", environment["Submitter__Environment"]);
        Assert.Equal(RepositoryPaths.Catalog, environment["Submitter__CatalogPath"]);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data", ResourceNames.Submitter), environment["Submitter__DataDirectory"]);
        Assert.Equal(VenvPython, environment["Submitter__PythonPath"]);
        Assert.Equal("wordcount", environment["Submitter__AutoRun__0"]);
        Assert.DoesNotContain("Submitter__AutoRun__1", environment.Keys);
    }

    [Fact]
    public async Task With_three_TaskManagers_the_Submitter_expects_three_and_references_three_worker_pools()
    {
        await using var builder = await AppHostModel.CreateAsync("FlinkBeam:TaskManagers=3", "FlinkBeam:AutoRun:0=");
        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        var submitter = builder.Single<ProjectResource>(ResourceNames.Submitter);

        var environment = await AppHostModel.EnvironmentAsync(app, submitter);

        Assert.Equal("3", environment["Submitter__TaskManagers"]);
        Assert.Equal(
            [ResourceNames.TaskManager(1), ResourceNames.TaskManager(2), ResourceNames.TaskManager(3)],
            environment.Keys
                .Where(k => k.EndsWith($"__{EndpointNames.WorkerPool}__0", StringComparison.Ordinal))
                .Select(k => k["services__".Length..^$"__{EndpointNames.WorkerPool}__0".Length])
                .Order(StringComparer.Ordinal));
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Submitter__AutoRun", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_Submitter_listens_on_an_http_endpoint_the_AppHost_owns_and_is_health_checked_on_it()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var submitter = builder.Single<ProjectResource>(ResourceNames.Submitter);

        Assert.True(submitter.TryGetEndpoints(out var endpoints));
        var http = Assert.Single(endpoints);
        Assert.Equal((EndpointNames.SubmitterHttp, "http"), (http.Name, http.UriScheme));
        Assert.NotEmpty(submitter.Annotations.OfType<ExcludeLaunchProfileAnnotation>());
        Assert.NotEmpty(submitter.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task The_Submitter_waits_for_every_cluster_resource_to_be_healthy_and_for_the_environment_check_to_pass()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var submitter = builder.Single<ProjectResource>(ResourceNames.Submitter);
        Assert.True(submitter.TryGetAnnotationsOfType<WaitAnnotation>(out var waits));

        var healthy = waits.Where(w => w.WaitType == WaitType.WaitUntilHealthy).Select(w => w.Resource.Name).ToList();
        Assert.Contains(ResourceNames.JobManager, healthy);
        Assert.Contains(ResourceNames.JobServer, healthy);
        Assert.Contains(ResourceNames.TaskManager(1), healthy);
        Assert.Contains(ResourceNames.TaskManager(2), healthy);

        var completion = Assert.Single(waits, w => w.WaitType == WaitType.WaitForCompletion);
        Assert.Same(builder.Single<PythonAppResource>(ResourceNames.Pipelines), completion.Resource);
        Assert.Equal(0, completion.ExitCode);
    }

    [Fact]
    public async Task The_pipelines_environment_is_a_venv_in_the_pipelines_folder_running_the_environment_check()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var pipelines = builder.Single<PythonAppResource>(ResourceNames.Pipelines);

        Assert.Equal(RepositoryPaths.Pipelines, pipelines.WorkingDirectory);
        Assert.Equal(VenvPython, pipelines.Command);
        Assert.Equal(
            [PipelinesBuilderExtensions.EnvironmentCheckScript, "--expect-beam", VersionDefaults.Beam, "--expect-python", VersionDefaults.Python],
            await builder.ArgumentsAsync(pipelines));
    }

    [Fact]
    public async Task The_dashboard_offers_one_Run_command_per_catalog_entry_and_Cancel_active_runs()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var submitter = builder.Single<ProjectResource>(ResourceNames.Submitter);
        var catalog = PipelineCatalog.Load(RepositoryPaths.Catalog);

        var commands = submitter.Annotations.OfType<ResourceCommandAnnotation>().ToList();

        foreach (var pipeline in catalog.Names)
        {
            var run = Assert.Single(commands, c => c.Name == $"run-{pipeline}");
            Assert.Equal($"Run {pipeline}", run.DisplayName);
        }

        var cancel = Assert.Single(commands, c => c.Name == "cancel-active-runs");
        Assert.Equal("Cancel active runs", cancel.DisplayName);
        Assert.False(string.IsNullOrEmpty(cancel.ConfirmationMessage));
    }
}
