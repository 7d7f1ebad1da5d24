using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Python;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.AppHost.Tests;

/// <summary>The Submitter as the AppHost wires it: its environment in both cluster modes, the pipelines' venv, the commands.</summary>
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
        var submitter = builder.Single<SubmitterResource>(ResourceNames.Submitter);

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
        Assert.Equal(AppHostModel.DefaultPython, environment["Submitter__PythonVersion"]);
        Assert.Equal("2", environment["Submitter__TaskManagers"]);
        Assert.Equal("External", environment["Submitter__Environment"]);
        Assert.Equal(RepositoryPaths.Catalog, environment["Submitter__CatalogPath"]);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data", ResourceNames.Submitter), environment["Submitter__DataDirectory"]);
        Assert.Equal(VenvPython, environment["Submitter__PythonPath"]);
        Assert.Equal("wordcount", environment["Submitter__AutoRun__0"]);
        Assert.DoesNotContain("Submitter__AutoRun__1", environment.Keys);
    }

    [Fact]
    public async Task Against_an_existing_cluster_the_Submitter_gets_the_same_entries_with_the_configured_URLs()
    {
        await using var builder = await AppHostModel.CreateAsync(
            "FlinkBeam:ExistingCluster:FlinkRestUrl=http://localhost:8081",
            "FlinkBeam:ExistingCluster:JobEndpoint=http://localhost:8099",
            "FlinkBeam:ExistingCluster:WorkerPools:0=tcp://localhost:50000",
            "FlinkBeam:TaskManagers=1");
        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);

        var environment = await AppHostModel.EnvironmentAsync(app, builder.Single<SubmitterResource>(ResourceNames.Submitter));

        Assert.Equal("http://localhost:8081/", environment[$"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0"]);
        Assert.Equal("http://localhost:8099/", environment[$"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0"]);
        Assert.Equal("tcp://localhost:50000/", environment[$"services__{ResourceNames.TaskManager(1)}__{EndpointNames.WorkerPool}__0"]);
        Assert.Equal("1", environment["Submitter__TaskManagers"]);
    }

    [Fact]
    public async Task The_Submitter_waits_for_nothing_its_health_says_what_it_waits_for()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var submitter = builder.Single<SubmitterResource>(ResourceNames.Submitter);

        Assert.False(submitter.TryGetAnnotationsOfType<WaitAnnotation>(out _));
        Assert.Contains(submitter.Annotations.OfType<HealthCheckAnnotation>(), a => a.Key == $"{ResourceNames.Submitter}_check");
    }

    [Fact]
    public async Task The_pipelines_environment_is_a_venv_in_the_pipelines_folder_running_the_environment_check()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var pipelines = builder.Single<PythonAppResource>(ResourceNames.Pipelines);

        Assert.Equal(RepositoryPaths.Pipelines, pipelines.WorkingDirectory);
        Assert.Equal(VenvPython, pipelines.Command);
        Assert.Equal(
            [PipelinesBuilderExtensions.EnvironmentCheckScript, "--expect-beam", VersionDefaults.Beam, "--expect-python", AppHostModel.DefaultPython],
            await builder.ArgumentsAsync(pipelines));
    }

    [Fact]
    public async Task Each_catalog_pipeline_is_a_row_beneath_the_Submitter_which_keeps_Cancel_active_runs()
    {
        await using var builder = await AppHostModel.CreateAsync();
        var submitter = builder.Single<SubmitterResource>(ResourceNames.Submitter);
        var catalog = PipelineCatalog.Load(RepositoryPaths.Catalog);

        var rows = builder.Resources.OfType<PipelineResource>().ToList();

        Assert.Equal(catalog.Names.Select(n => n.Replace('_', '-')), rows.Select(r => r.Name));
        Assert.Equal(catalog.Names, rows.Select(r => r.Pipeline));
        Assert.All(rows, row =>
        {
            Assert.Same(submitter, row.Submitter);
            Assert.Contains(row.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent" && r.Resource == submitter);
            Assert.Equal(
                [PipelineBuilderExtensions.RunCommand, PipelineBuilderExtensions.CancelCommand],
                row.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name));
        });
        Assert.Equal([SubmitterBuilderExtensions.CancelActiveRunsCommand], submitter.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Where(n => n.Contains("runs", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_Submitter_gets_its_API_key_and_the_catalog()
    {
        await using var builder = await AppHostModel.CreateAsync($"Parameters:{ResourceNames.Submitter}-api-key=from-user-secrets");
        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);

        var environment = await AppHostModel.EnvironmentAsync(app, builder.Single<SubmitterResource>(ResourceNames.Submitter));

        Assert.Equal("from-user-secrets", environment["Submitter__ApiKey"]);
        Assert.Equal(RepositoryPaths.Catalog, environment["Submitter__CatalogPath"]);
    }

    [Fact]
    public async Task Another_pipelines_folder_interpreter_and_history_replace_the_repositorys()
    {
        var folder = Path.GetDirectoryName(FakePipelineFiles.CreateCatalog(FakePipelineFiles.TempDirectory("flinkbeam-pipelines"), ("bench", "succeed.py", 1, [])))!;
        var python = FakePipelineFiles.CreateFakePython(Path.Combine(folder, "py"), VersionDefaults.Beam);
        try
        {
            await using var builder = await AppHostModel.CreateAsync(
                $"FlinkBeam:Pipelines={folder}", $"FlinkBeam:PythonPath={python}", $"FlinkBeam:DataDirectory={folder}/history", "FlinkBeam:AutoRun:0=bench");
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);

            var environment = await AppHostModel.EnvironmentAsync(app, builder.Single<SubmitterResource>(ResourceNames.Submitter));

            Assert.Equal(Path.Combine(folder, "catalog.json"), environment["Submitter__CatalogPath"]);
            Assert.Equal(python, environment["Submitter__PythonPath"]);
            Assert.Equal(Path.Combine(folder, "history"), environment["Submitter__DataDirectory"]);
            Assert.Equal("bench", environment["Submitter__AutoRun__0"]);
            Assert.Equal(["bench"], builder.Resources.OfType<PipelineResource>().Select(r => r.Name));
            Assert.Empty(builder.Resources.OfType<PythonAppResource>());
        }
        finally
        {
            FakePipelineFiles.TryDeleteDirectory(folder);
        }
    }
}
