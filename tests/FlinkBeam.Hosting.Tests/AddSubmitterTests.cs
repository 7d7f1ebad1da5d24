using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>AddSubmitter</c>: a resource of its own kind, its API key, its settings and its "Cancel active runs" command.</summary>
public sealed class AddSubmitterTests
{
    [Fact]
    public async Task It_is_a_Submitter_resource_on_an_http_endpoint_the_AppHost_owns_and_its_health_is_the_readiness_gate()
    {
        var builder = Model.RunMode();
        var added = builder.AddSubmitter<SubmitterProject>("runs");
        await using var app = builder.Build();
        var submitter = app.Single<SubmitterResource>("runs");

        Assert.Same(added.Resource, submitter);
        Assert.True(submitter.TryGetEndpoints(out var endpoints));
        var http = Assert.Single(endpoints);
        Assert.Equal((EndpointNames.SubmitterHttp, "http", null), (http.Name, http.UriScheme, http.Port));
        Assert.Equal(EndpointNames.SubmitterHttp, submitter.HttpEndpoint.EndpointName);
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

        Assert.Equal(5080, Model.Endpoint(app.Single<SubmitterResource>(ResourceNames.Submitter), EndpointNames.SubmitterHttp).Port);
    }

    [Fact]
    public async Task Its_API_key_is_a_generated_secret_parameter_passed_as_a_Submitter_setting()
    {
        var builder = Model.RunMode();
        var submitter = builder.AddSubmitter<SubmitterProject>("runs").Resource;
        await using var app = builder.Build();

        var key = submitter.ApiKeyParameter;
        var environment = await Model.EnvironmentAsync(app, submitter);
        var value = await key.GetValueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("runs-api-key", true), (key.Name, key.Secret));
        Assert.True(value is { Length: >= 22 } && value.All(char.IsAsciiLetterOrDigit), $"the key is '{value}'");
        Assert.Equal(value, environment["Submitter__ApiKey"]);
    }

    [Fact]
    public async Task A_configured_key_is_taken_and_a_published_Submitter_gets_the_parameter()
    {
        var run = Model.RunModeWithApiKey("runs", "configured-key");
        var submitter = run.AddSubmitter<SubmitterProject>("runs").Resource;
        await using (var app = run.Build())
        {
            Assert.Equal("configured-key", (await Model.EnvironmentAsync(app, submitter))["Submitter__ApiKey"]);
        }

        var publish = Model.PublishMode();
        var published = publish.AddSubmitter<SubmitterProject>("runs").Resource;
        await using var publishedApp = publish.Build();
        Assert.Equal("{runs-api-key.value}", (await Model.EnvironmentAsync(publishedApp, published))["Submitter__ApiKey"]);
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
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithClusterSettings(settings).Resource;
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.Equal("Flink", environment["Submitter__Mode"]);
        Assert.Equal("2.75.0", environment["Submitter__BeamVersion"]);
        Assert.Equal("1.19", environment["Submitter__FlinkVersion"]);
        Assert.Equal("3.11", environment["Submitter__PythonVersion"]);
        Assert.Equal("3", environment["Submitter__TaskManagers"]);
        Assert.Equal("Process", environment["Submitter__Environment"]);
        Assert.Equal("wordcount", environment["Submitter__AutoRun__0"]);
        Assert.Equal("split-words", environment["Submitter__AutoRun__1"]);
        Assert.DoesNotContain("Submitter__AutoRun__2", environment.Keys);
        Assert.Equal(new MinorVersion(1, 19), submitter.FlinkVersion);
    }

    [Fact]
    public async Task The_history_folder_and_the_interpreter_arrive_as_paths()
    {
        var builder = Model.RunMode();
        var interpreter = "/not/yet/known";
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
            .WithDataDirectory("../.data/submitter")
            .WithPythonInterpreter(() => interpreter);
        await using var app = builder.Build();
        // Read when the environment is built, not when the model is.
        interpreter = "/venv/bin/python";

        var environment = await Model.EnvironmentAsync(app, app.Single<SubmitterResource>(ResourceNames.Submitter));

        Assert.Equal(Path.GetFullPath("../.data/submitter", builder.AppHostDirectory), environment["Submitter__DataDirectory"]);
        Assert.Equal("/venv/bin/python", environment["Submitter__PythonPath"]);
    }

    [Fact]
    public async Task Cancel_active_runs_asks_first_then_cancels_every_active_run_with_the_key_and_names_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await FakeSubmitterApi.StartAsync(ct);
        api.Answer = _ => new FakeSubmitterAnswer(200, """{"cancelled":[{"id":"r1","pipeline":"wordcount","state":"Cancelled","createdAt":"2026-12-07T10:00:00Z"},{"id":"r2","pipeline":"split-words","state":"Cancelled","createdAt":"2026-12-07T10:00:01Z"}]}""");
        var builder = Model.RunModeWithApiKey("runs", "k3y");
        var submitter = builder.AddSubmitter<SubmitterProject>("runs").Resource;
        await using var app = builder.Build();
        Model.Allocate(submitter, EndpointNames.SubmitterHttp, api.Port);
        var command = Assert.Single(submitter.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == SubmitterBuilderExtensions.CancelActiveRunsCommand);

        var result = await command.ExecuteCommand(Commands.Context(app, "runs", ct));

        Assert.Equal("Cancel active runs", command.DisplayName);
        Assert.Equal("Cancel every active run and its Flink job?", command.ConfirmationMessage);
        Assert.True(result.Success, result.Message);
        Assert.Equal("Cancelled 2 runs: r1, r2.", result.Message);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/runs/cancel-active", "", "Bearer k3y"), (request.Method, request.Path, request.Query, request.Authorization));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
    }
}
