using FlinkBeam.Cluster.Catalog;

namespace FlinkBeam.Submitter.Api;

/// <summary>A catalogued pipeline as <c>GET /pipelines</c> shows it; the script relative to the catalog's folder.</summary>
public sealed record PipelineSummary(string Name, string? Description, string Script, IReadOnlyList<string> Args, int Parallelism)
{
    public static PipelineSummary From(PipelineDefinition definition, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        return new(definition.Name, definition.Description, Path.GetRelativePath(catalog.Directory, definition.ScriptPath),
            definition.Args, definition.Parallelism);
    }
}
