using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>WithPipelines</c>: the catalog for the Submitter, and one dashboard row per pipeline beneath it.</summary>
public sealed class WithPipelinesTests
{
    private static IReadOnlyList<PipelineResource> Pipelines(DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<PipelineResource>().ToList();

    [Fact]
    public async Task Each_catalog_pipeline_is_a_Pipeline_resource_beneath_the_Submitter_named_with_hyphens()
    {
        using var catalog = new TestCatalog("wordcount", "long_running");
        var builder = Model.RunMode();
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(catalog.Catalog).Resource;
        await using var app = builder.Build();

        var pipelines = Pipelines(app);

        Assert.Equal([("wordcount", "wordcount"), ("long-running", "long_running")], pipelines.Select(p => (p.Name, p.Pipeline)));
        Assert.All(pipelines, pipeline =>
        {
            Assert.Same(submitter, pipeline.Submitter);
            var parent = Assert.Single(pipeline.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent");
            Assert.Same(submitter, parent.Resource);
            Assert.True(pipeline.TryGetLastAnnotation<ManifestPublishingCallbackAnnotation>(out var manifest) && manifest.Callback is null, "not in a published manifest");
        });
    }

    [Fact]
    public async Task A_row_starts_Waiting_for_the_Submitter_with_what_the_catalog_says()
    {
        using var catalog = new TestCatalog("wordcount");
        var builder = Model.RunMode();
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(catalog.Catalog);
        await using var app = builder.Build();

        Assert.True(Assert.Single(Pipelines(app)).TryGetLastAnnotation<ResourceSnapshotAnnotation>(out var initial));
        var snapshot = initial.InitialSnapshot;

        Assert.Equal(PipelineBuilderExtensions.ResourceType, snapshot.ResourceType);
        Assert.Equal("Pipeline", snapshot.ResourceType);
        Assert.Equal(KnownResourceStates.Waiting, snapshot.State?.Text);
        Assert.Equal("succeed.py", snapshot.Properties.Single(p => p.Name == CustomResourceKnownProperties.Source).Value);
        Assert.Equal("wordcount", snapshot.Properties.Single(p => p.Name == "pipeline.name").Value);
        Assert.Equal("test pipeline running succeed.py", snapshot.Properties.Single(p => p.Name == "pipeline.description").Value);
    }

    [Fact]
    public async Task Start_run_takes_extra_arguments_judged_before_anything_starts_and_Cancel_asks_first()
    {
        using var catalog = new TestCatalog("wordcount");
        var builder = Model.RunMode();
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(catalog.Catalog);
        await using var app = builder.Build();

        var commands = Assert.Single(Pipelines(app)).Annotations.OfType<ResourceCommandAnnotation>().ToList();

        Assert.Equal([PipelineBuilderExtensions.RunCommand, PipelineBuilderExtensions.CancelCommand], commands.Select(c => c.Name));
        var run = commands[0];
        Assert.Equal(("Start run", null), (run.DisplayName, run.ConfirmationMessage));
        var args = Assert.Single(run.Arguments);
        Assert.Equal(("args", "Extra arguments", InputType.Text, false), (args.Name, args.Label, args.InputType, args.Required));
        Assert.NotNull(run.ValidateArguments);
        Assert.Equal(ResourceCommandVisibility.UI | ResourceCommandVisibility.Api, run.Visibility);
        var cancel = commands[1];
        Assert.Equal(("Cancel active runs", "Cancel every active run of wordcount and its Flink job?"), (cancel.DisplayName, cancel.ConfirmationMessage));
        Assert.Empty(cancel.Arguments);
    }

    [Fact]
    public async Task The_catalog_arrives_as_its_path()
    {
        using var catalog = new TestCatalog("wordcount");
        var builder = Model.RunMode();
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(catalog.Catalog).Resource;
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, submitter);

        Assert.Equal(catalog.Catalog.CatalogPath, environment["Submitter__CatalogPath"]);
    }

    [Theory]
    [InlineData("submitter", "submitter")]
    [InlineData("flink_jobmanager", "flink-jobmanager")]
    public void A_pipeline_named_like_another_resource_stops_the_AppHost_naming_both(string pipeline, string resource)
    {
        using var catalog = new TestCatalog("wordcount", pipeline);
        var builder = Model.RunMode();
        builder.AddExistingCluster(new ExistingClusterSettings(new Uri("http://localhost:8081"), new Uri("http://localhost:8099"), []));
        var submitter = builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter);

        var error = Assert.Throws<ArgumentException>(() => submitter.WithPipelines(catalog.Catalog));

        Assert.StartsWith($"Pipeline '{pipeline}' in {catalog.Catalog.CatalogPath} would be the dashboard resource '{resource}', which is already the name of the resource '{resource}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(builder.Resources.OfType<PipelineResource>());
    }

    [Fact]
    public void Two_pipelines_that_would_share_a_row_stop_the_AppHost_naming_both()
    {
        using var catalog = new TestCatalog("long-running", "long_running");
        var submitter = Model.RunMode().AddSubmitter<SubmitterProject>(ResourceNames.Submitter);

        var error = Assert.Throws<ArgumentException>(() => submitter.WithPipelines(catalog.Catalog));

        Assert.StartsWith($"Pipelines 'long-running' and 'long_running' in {catalog.Catalog.CatalogPath} would both be the dashboard resource 'long-running'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rows_follow_the_Submitters_run_events_only_under_dotnet_run()
    {
        using var catalog = new TestCatalog("wordcount");
        var run = Model.RunMode();
        run.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(catalog.Catalog);
        var publish = Model.PublishMode();
        publish.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).WithPipelines(catalog.Catalog);

        Assert.Single(run.Services, IsFollower);
        Assert.DoesNotContain(publish.Services, IsFollower);
        await using var app = run.Build();
        Assert.IsType<RunEventFollower>(ActivatorUtilities.CreateInstance<RunEventFollower>(app.Services));

        static bool IsFollower(ServiceDescriptor service) =>
            service.ServiceType == typeof(IHostedService) && service.ImplementationType == typeof(RunEventFollower);
    }
}
