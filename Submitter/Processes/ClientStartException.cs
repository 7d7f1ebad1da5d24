namespace FlinkBeam.Submitter.Processes;

/// <summary>The client process could not be started (interpreter missing, not executable, bad working directory).</summary>
public sealed class ClientStartException(string fileName, string reason, Exception? inner = null)
    : Exception($"Could not start the Python interpreter '{fileName}': {reason}", inner)
{
    public string FileName { get; } = fileName;
}
