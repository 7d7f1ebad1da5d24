namespace FlinkBeam.Submitter.Store;

/// <summary>The run history cannot be opened, read or written. The file is left as it was.</summary>
public sealed class RunStoreException(string filePath, string message, Exception? inner = null)
    : Exception($"Run history '{filePath}': {message}", inner)
{
    public string FilePath { get; } = filePath;
}
