namespace FlinkBeam.Submitter.Catalog;

/// <summary>One catalogued pipeline. <see cref="ScriptPath"/> is absolute and inside the catalog's folder.</summary>
public sealed record PipelineDefinition(
    string Name,
    string ScriptPath,
    string? Description,
    IReadOnlyList<string> Args,
    int Parallelism);
