using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>The catalog's pipelines: what the Submitter may launch, and one dashboard row for each beneath it.</summary>
public static class PipelineBuilderExtensions
{
    /// <summary>The resource type of a pipeline's row.</summary>
    public const string ResourceType = PipelineSnapshots.ResourceType;

    /// <summary>The pipeline command that starts a run, with extra arguments (input <c>args</c>).</summary>
    public const string RunCommand = "run";

    /// <summary>The pipeline command that cancels the pipeline's active runs.</summary>
    public const string CancelCommand = "cancel";

    /// <summary>What the dashboard calls <see cref="RunCommand"/>: its toast then says "Start run" succeeded, which is what happened.</summary>
    public const string RunDisplayName = "Start run";

    /// <summary>What the dashboard calls <see cref="CancelCommand"/>.</summary>
    public const string CancelDisplayName = "Cancel active runs";

    /// <summary>
    /// Passes the catalog to the Submitter (<c>Submitter__CatalogPath</c>) and adds one <see cref="PipelineResource"/> per
    /// pipeline beneath it, named after the pipeline with <c>_</c> turned into <c>-</c>, of resource type
    /// <c>Pipeline</c>. Its state is its newest run's in the Submitter's words (Waiting until the Submitter answers, then
    /// Idle before any run); its properties are the run's (id, job name, Flink job id, started, ended, duration,
    /// attempts, error) with the pipeline's runs and failed runs and the latest figures of its Flink job; its link opens
    /// the job in the Flink web UI; its console log holds its runs' client output. Its commands are "Start run"
    /// (<see cref="RunCommand"/>, extra arguments judged by the Submitter before anything starts) and "Cancel active runs"
    /// (<see cref="CancelCommand"/>). Under <c>dotnet run</c> the rows follow the Submitter's run events.
    /// Call it once the application's other resources are added: a pipeline whose row would take another resource's
    /// name, or the name of another pipeline's row, stops the AppHost with one sentence naming both.
    /// </summary>
    /// <param name="submitter">The Submitter.</param>
    /// <param name="catalog">The loaded, validated catalog.</param>
    /// <exception cref="ArgumentException">Two pipelines, or a pipeline and another resource, would share a name.</exception>
    public static IResourceBuilder<SubmitterResource> WithPipelines(this IResourceBuilder<SubmitterResource> submitter, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(catalog);

        var builder = submitter.ApplicationBuilder;
        var (names, problem) = PipelineResourceNames.Plan(catalog.Names, builder.Resources.Select(r => r.Name), catalog.CatalogPath);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(catalog));
        }

        submitter.WithEnvironment(SubmitterBuilderExtensions.Setting(SubmitterSettingNames.CatalogPath), catalog.CatalogPath);
        foreach (var (pipeline, name) in names)
        {
            var resource = new PipelineResource(name, pipeline, submitter.Resource);
            builder.AddResource(resource)
                .WithParentRelationship(submitter)
                .WithIconName("Flow")
                .WithInitialState(PipelineSnapshots.Initial(catalog.Get(pipeline), catalog))
                .WithCommand(RunCommand, RunDisplayName, context => PipelineCommands.RunAsync(resource, context), PipelineCommands.RunOptions(resource))
                .WithCommand(
                    CancelCommand,
                    CancelDisplayName,
                    context => PipelineCommands.CancelAsync(resource.Submitter, resource.Pipeline, context.CancellationToken),
                    PipelineCommands.CancelOptions(resource))
                .ExcludeFromManifest();
        }

        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RunEventFollower>());
        }

        return submitter;
    }
}
