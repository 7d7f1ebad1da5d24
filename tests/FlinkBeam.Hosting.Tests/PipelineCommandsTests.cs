using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// A pipeline row's Run and Cancel against a loopback server speaking the Submitter's API: what is sent (the pipeline,
/// the split arguments, the key, JSON bodies) and what the dashboard is told (the Submitter's own words).
/// </summary>
public sealed class PipelineCommandsTests : IAsyncLifetime
{
    private const string Accepted = """{"id":"ab12cd34ef56ab78","pipeline":"long_running","jobName":"long_running-ab12cd34","state":"Pending","createdAt":"2026-12-07T10:00:00Z","attempts":0}""";

    private readonly TestCatalog _catalog = new("long_running");
    private FakeSubmitterApi _api = null!;
    private DistributedApplication _app = null!;
    private PipelineResource _pipeline = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeSubmitterApi.StartAsync(TestContext.Current.CancellationToken);
        var builder = Model.RunModeWithApiKey(ResourceNames.Submitter, "k3y");
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(_catalog.Catalog).Resource;
        _app = builder.Build();
        Model.Allocate(submitter, EndpointNames.SubmitterHttp, _api.Port);
        _pipeline = _app.Single<PipelineResource>("long-running");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _api.DisposeAsync();
        _catalog.Dispose();
    }

    private Task<ExecuteCommandResult> ExecuteAsync(string command, params (string, string?)[] arguments) =>
        _pipeline.Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == command)
            .ExecuteCommand(Commands.Context(_app, _pipeline.Name, TestContext.Current.CancellationToken, arguments));

    private static (string Pipeline, string Args) Body(FakeSubmitterRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return (json.RootElement.GetProperty("pipeline").GetString()!, json.RootElement.GetProperty("args").GetRawText());
    }

    [Fact]
    public async Task Run_posts_the_catalog_name_and_the_split_arguments_with_the_key_and_says_which_run_was_accepted()
    {
        _api.Answer = _ => new FakeSubmitterAnswer(202, Accepted);

        var result = await ExecuteAsync(PipelineBuilderExtensions.RunCommand, ("args", "--min-count 2 --label 'a b'"));

        Assert.True(result.Success, result.Message);
        Assert.Equal("Run ab12cd34ef56ab78 of long_running accepted: it is Pending, and the row follows it to its end.", result.Message);
        // The run record as the Submitter answered it, behind the toast's "View response".
        Assert.Equal((Accepted, CommandResultFormat.Json), (result.Data?.Value, result.Data?.Format));
        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/runs", "Bearer k3y"), (request.Method, request.Path, request.Authorization));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(("long_running", """["--min-count","2","--label","a b"]"""), Body(request));
    }

    [Fact]
    public async Task Run_without_arguments_sends_an_empty_list()
    {
        _api.Answer = _ => new FakeSubmitterAnswer(202, Accepted);

        var result = await ExecuteAsync(PipelineBuilderExtensions.RunCommand);

        Assert.True(result.Success, result.Message);
        Assert.Equal("[]", Body(Assert.Single(_api.Requests)).Args);
    }

    [Fact]
    public async Task A_refused_run_fails_with_the_Submitters_detail()
    {
        _api.Answer = _ => FakeSubmitterAnswer.Problem(400, "Malformed run request", "--job_name is set by the Submitter and cannot be given as an extra argument.", "args");

        var result = await ExecuteAsync(PipelineBuilderExtensions.RunCommand, ("args", "--job_name mine"));

        Assert.False(result.Success);
        Assert.Equal("--job_name is set by the Submitter and cannot be given as an extra argument.", result.Message);
    }

    [Fact]
    public async Task Validation_asks_the_Submitter_and_gives_its_detail_for_the_input()
    {
        _api.Answer = request => request.Path == "/runs/validate" && Body(request).Args.Contains("--job_name", StringComparison.Ordinal)
            ? FakeSubmitterAnswer.Problem(400, "Malformed run request", "--job_name is set by the Submitter.", "args")
            : new FakeSubmitterAnswer(204, null);
        var ct = TestContext.Current.CancellationToken;

        var refused = await PipelineCommands.ValidateAsync(_pipeline, "--job_name mine", ct);
        var accepted = await PipelineCommands.ValidateAsync(_pipeline, "--min-count 2", ct);

        Assert.Equal("--job_name is set by the Submitter.", refused);
        Assert.Null(accepted);
        Assert.All(_api.Requests, r => Assert.Equal(("POST", "/runs/validate", "Bearer k3y"), (r.Method, r.Path, r.Authorization)));
        Assert.Equal(("long_running", """["--min-count","2"]"""), Body(_api.Requests[1]));
    }

    [Fact]
    public async Task A_line_that_cannot_be_split_is_refused_without_asking_the_Submitter()
    {
        var problem = await PipelineCommands.ValidateAsync(_pipeline, "--input 'a b", TestContext.Current.CancellationToken);
        var result = await ExecuteAsync(PipelineBuilderExtensions.RunCommand, ("args", "--input 'a b"));

        Assert.Equal("The single quote at character 9 is never closed; close it, or escape it with a backslash.", problem);
        Assert.Equal((false, problem), (result.Success, result.Message));
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(405)]
    public async Task A_Submitter_that_does_not_validate_has_no_objection(int status)
    {
        _api.Answer = _ => FakeSubmitterAnswer.Problem(status, "Not here", "No such endpoint.");

        Assert.Null(await PipelineCommands.ValidateAsync(_pipeline, "--x 1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_refused_key_is_the_Submitters_detail()
    {
        _api.Answer = _ => FakeSubmitterAnswer.Problem(401, "Unauthorized", "Present the Submitter's API key as Authorization: Bearer <key>.");

        Assert.Equal(
            "Present the Submitter's API key as Authorization: Bearer <key>.",
            await PipelineCommands.ValidateAsync(_pipeline, "", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancel_cancels_the_pipelines_active_runs_and_names_them()
    {
        _api.Answer = _ => new FakeSubmitterAnswer(200, $$"""{"cancelled":[{{Accepted}}]}""");

        var result = await ExecuteAsync(PipelineBuilderExtensions.CancelCommand);

        Assert.True(result.Success, result.Message);
        Assert.Equal("Cancelled run ab12cd34ef56ab78.", result.Message);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/runs/cancel-active", "?pipeline=long_running", "Bearer k3y"), (request.Method, request.Path, request.Query, request.Authorization));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_with_nothing_active_says_so()
    {
        _api.Answer = _ => new FakeSubmitterAnswer(200, """{"cancelled":[]}""");

        var result = await ExecuteAsync(PipelineBuilderExtensions.CancelCommand);

        Assert.Equal((true, "No active run of long_running to cancel."), (result.Success, result.Message));
    }

    [Fact]
    public async Task A_Submitter_that_does_not_answer_is_a_failure_naming_its_address()
    {
        var closed = FakePipelineFiles.ClosedPort();
        Model.Allocate(_pipeline.Submitter, EndpointNames.SubmitterHttp, closed);

        var result = await ExecuteAsync(PipelineBuilderExtensions.RunCommand);

        Assert.False(result.Success);
        Assert.StartsWith($"The Submitter does not answer at http://127.0.0.1:{closed}: ", result.Message, StringComparison.Ordinal);
    }
}
