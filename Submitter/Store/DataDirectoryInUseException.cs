using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>Another live Submitter of the same role holds the data directory; nothing was changed.</summary>
public sealed class DataDirectoryInUseException(string filePath, string directory, SubmitterInstance holder)
    : Exception($"The data directory {directory} is in use by {holder}. Stop that Submitter, or give this one another "
        + "data directory (--data-dir / Submitter:DataDirectory).")
{
    public string FilePath { get; } = filePath;

    public SubmitterInstance Holder { get; } = holder;
}
