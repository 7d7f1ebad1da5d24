namespace FlinkBeam.Submitter.Catalog;

public sealed class UnknownPipelineException(string name, IEnumerable<string> known)
    : Exception($"Unknown pipeline '{name}'. The catalog has: {string.Join(", ", known)}.")
{
    public string Name { get; } = name;
}
