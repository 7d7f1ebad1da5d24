using FlinkBeam.Cluster.Catalog;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// A catalogued pipeline as <c>GET /pipelines</c> shows it: what a caller needs to start it, and nothing of the script's
/// place on disk or the arguments the catalog fixes (addresses and paths of this machine).
/// </summary>
/// <param name="Name">The name to start it by.</param>
/// <param name="Description">What it does.</param>
/// <param name="Parallelism">The Flink parallelism its runs ask for.</param>
/// <param name="Overridable">The options a caller may set although the catalog fixes them or they act on the Submitter's machine.</param>
public sealed record PipelineSummary(string Name, string? Description, int Parallelism, IReadOnlyList<string> Overridable)
{
    public static PipelineSummary From(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new(definition.Name, definition.Description, definition.Parallelism, definition.Overridable);
    }
}
