namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// One catalog pipeline in the dashboard, beneath the Submitter that runs it: its state is its newest run's, its
/// commands run and cancel it, its console log holds its runs' client output.
/// </summary>
/// <param name="name">The resource name: the pipeline's name with <c>_</c> turned into <c>-</c>.</param>
/// <param name="pipeline">The pipeline's name in the catalog, as the Submitter knows it.</param>
/// <param name="submitter">The Submitter that runs it.</param>
public sealed class PipelineResource(string name, string pipeline, SubmitterResource submitter) : Resource(name)
{
    /// <summary>The pipeline's name in the catalog.</summary>
    public string Pipeline { get; } = string.IsNullOrEmpty(pipeline) ? throw new ArgumentException("A pipeline needs its catalog name.", nameof(pipeline)) : pipeline;

    /// <summary>The Submitter that runs it.</summary>
    public SubmitterResource Submitter { get; } = submitter ?? throw new ArgumentNullException(nameof(submitter));
}
