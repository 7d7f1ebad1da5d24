using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>AddSubmitter</c> and the settings, pipelines and commands it is given.</summary>
public sealed class AddSubmitterTests
{
    private static readonly PipelineCatalog Catalog = PipelineCatalog.Load(RepositoryPaths.Catalog);

    [Fact]
    public async Task It_listens_on_an_http_endpoint_the_AppHost_owns_and_its_health_is_the_readiness_gate()
    {
        var builder = Model.RunMode();
        builder.AddSubmitter<SubmitterProject>("runs");
        await using var app = builder.Build();
        var submitter = app.Single<ProjectResource>("runs");

        Assert.True(submitter.TryGetEndpoints(out var endpoints));
        var http = Assert.Single(endpoints);
        Assert.Equal((EndpointNames.SubmitterHttp, "http", null), (http.Name, http.UriScheme, http.Port));
        Assert.NotEmpty(submitter.Annotations.OfType<ExcludeLaunchProfileAnnotation>());
        Assert.Equal(["runs_check"], Model.HealthCheckKeys(submitter));
        Assert.IsType<SubmitterReadinessHealthCheck>(Model.HealthCheck(app, "runs_check"));
        Assert.True(submitter.TryGetLastAnnotation<IProjectMetadata>(out var project));
        Assert.Equal(Path.Combine(RepositoryPaths.Root, "Submitter", "FlinkBeam.Submitter.csproj"), project.ProjectPath);
    }

    [Fact]
    public async Task A_chosen_port_is_the_APIs_host_port()
    {
        var builder = Model.RunMode();
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter, port: 5080);
        await using var app = builder.Build();

        Assert.Equal(5080, Model.Endpoint(app.Single<ProjectResource>(ResourceNames.Submitter), EndpointNames.SubmitterHttp).Port);
    }

    [Fact]
    public async Task Cluster_settings_arrive_as_Submitter_settings()
    {
        var builder = Model.RunMode();
        var settings = Model.Settings with
        {
            Versions = VersionSet.Create("2.75.0", "1.19", "3.11"),
            Flink = Model.Flink with { TaskManagers = 3 },
            Environment = SdkEnvironment.Process,
            AutoRun = ["wordcount", "split-words"],
            Mode = RunnerMode.Flink,
        };
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithClusterSettings(settings);
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));

        Assert.Equal("Flink", environment["Submitter__Mode"]);
        Assert.Equal("2.75.0", environment["Submitter__BeamVersion"]);
        Assert.Equal("1.19", environment["Submitter__FlinkVersion"]);
        Assert.Equal("3.11", environment["Submitter__PythonVersion"]);
        Assert.Equal("3", environment["Submitter__TaskManagers"]);
        Assert.Equal("Process", environment["Submitter__Environment"]);
        Assert.Equal("wordcount", environment["Submitter__AutoRun__0"]);
        Assert.Equal("split-words", environment["Submitter__AutoRun__1"]);
        Assert.DoesNotContain("Submitter__AutoRun__2", environment.Keys);
    }

    [Fact]
    public async Task The_catalog_the_history_folder_and_the_interpreter_arrive_as_paths()
    {
        var builder = Model.RunMode();
        var interpreter = "/not/yet/known";
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
            .WithCatalog(Catalog)
            .WithDataDirectory("../.data/submitter")
            .WithPythonInterpreter(() => interpreter);
        await using var app = builder.Build();
        // Read when the environment is built, not when the model is.
        interpreter = "/venv/bin/python";

        var environment = await Model.EnvironmentAsync(app, app.Single<ProjectResource>(ResourceNames.Submitter));

        Assert.Equal(RepositoryPaths.Catalog, environment["Submitter__CatalogPath"]);
        Assert.Equal(Path.GetFullPath("../.data/submitter", builder.AppHostDirectory), environment["Submitter__DataDirectory"]);
        Assert.Equal("/venv/bin/python", environment["Submitter__PythonPath"]);
    }

    [Fact]
    public async Task The_dashboard_offers_one_Run_command_per_catalog_entry_and_Cancel_active_runs()
    {
        var builder = Model.RunMode();
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithRunCommands(Catalog);
        await using var app = builder.Build();

        var commands = app.Single<ProjectResource>(ResourceNames.Submitter).Annotations.OfType<ResourceCommandAnnotation>().ToList();

        Assert.Equal(["wordcount", "split-words", "word-lengths"], Catalog.Names);
        foreach (var pipeline in Catalog.Names)
        {
            var run = Assert.Single(commands, c => c.Name == $"run-{pipeline}");
            Assert.Equal($"Run {pipeline}", run.DisplayName);
            Assert.Null(run.ConfirmationMessage);
        }

        var cancel = Assert.Single(commands, c => c.Name == SubmitterBuilderExtensions.CancelActiveRunsCommand);
        Assert.Equal("Cancel active runs", cancel.DisplayName);
        Assert.False(string.IsNullOrEmpty(cancel.ConfirmationMessage));
    }
}
