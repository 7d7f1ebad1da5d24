namespace FlinkBeam.Cluster.Catalog;

/// <summary>The pipeline catalog cannot be used; the message names the file and the bad value.</summary>
public sealed class CatalogException(string catalogPath, string message, Exception? inner = null)
    : Exception($"Pipeline catalog '{catalogPath}': {message}", inner)
{
    /// <summary>Absolute path of the catalog file.</summary>
    public string CatalogPath { get; } = catalogPath;
}
