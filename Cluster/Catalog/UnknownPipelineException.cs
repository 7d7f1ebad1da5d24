namespace FlinkBeam.Cluster.Catalog;

/// <summary>A run asked for a pipeline the catalog does not list; the message lists the ones it does.</summary>
/// <param name="name">The name asked for.</param>
/// <param name="known">The catalog's pipeline names.</param>
public sealed class UnknownPipelineException(string name, IEnumerable<string> known)
    : Exception($"Unknown pipeline '{name}'. The catalog has: {string.Join(", ", known)}.")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}
