namespace FlinkBeam.Submitter.Store;

/// <summary>The run history cannot be opened, read or written. The file is left as it was.</summary>
public class RunStoreException(string filePath, string message, Exception? inner = null)
    : Exception($"Run history '{filePath}': {message}", inner)
{
    public string FilePath { get; } = filePath;
}

/// <summary>
/// The data directory has no room for the run history to grow (the disk is full, or the file reached its size limit):
/// nothing was written by the call that failed.
/// </summary>
public sealed class HistoryFullException(string filePath, string dataDirectory, long? freeBytes, string what, Exception? inner = null)
    : RunStoreException(filePath,
        $"{what} failed: the data directory {dataDirectory} has no room for it ({Describe(freeBytes)}). Free space there; nothing was written.", inner)
{
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The bytes free to this process on the data directory's file system when the write failed, when known.</summary>
    public long? FreeBytes { get; } = freeBytes;

    /// <summary>The free space as messages spell it.</summary>
    public static string Describe(long? freeBytes) => freeBytes is { } free ? $"{free} bytes free" : "free space unknown";
}

/// <summary>
/// One run's record in the history cannot be read: its JSON does not parse, its checksum does not match, or it
/// disagrees with the columns it is filed under. The record is left as it is; nothing rewrites it.
/// </summary>
public sealed class DamagedRecordException(string filePath, string runId, string reason)
    : RunStoreException(filePath, $"the record of run '{runId}' is damaged ({reason}). It was left as it is; the other runs can still be read.")
{
    public string RunId { get; } = runId;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
