namespace FlinkBeam.Cluster.Catalog;

/// <summary>One catalogued pipeline. <see cref="ScriptPath"/> is absolute and inside the catalog's folder.</summary>
/// <param name="Name">The pipeline's name; the first part of its runs' job names.</param>
/// <param name="ScriptPath">The script the Python interpreter runs.</param>
/// <param name="Description">What the pipeline does, for people.</param>
/// <param name="Args">The catalog's arguments, with <c>{runId}</c> and <c>{jobName}</c> not yet replaced.</param>
/// <param name="Parallelism">The Flink parallelism its runs ask for, and so the free slots they need.</param>
public sealed record PipelineDefinition(
    string Name,
    string ScriptPath,
    string? Description,
    IReadOnlyList<string> Args,
    int Parallelism)
{
    /// <summary>
    /// The options a caller may set although <see cref="Args"/> fixes them or they act on the Submitter's machine, as
    /// <c>--name</c> (<c>-n</c> for one letter); see <see cref="Pipelines.PipelineArguments"/>.
    /// </summary>
    public IReadOnlyList<string> Overridable { get; init; } = [];
}
