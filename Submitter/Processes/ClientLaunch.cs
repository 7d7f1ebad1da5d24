namespace FlinkBeam.Submitter.Processes;

/// <summary>What to start for one attempt of a run: the interpreter, its argument list, where, and with what environment.</summary>
/// <param name="FileName">The Python interpreter (a path, or a name looked up on PATH).</param>
/// <param name="Arguments">Passed one by one through <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>, never through a shell.</param>
/// <param name="WorkingDirectory">The catalog's folder.</param>
/// <param name="Environment">Added to (or, with a null value, removed from) the inherited environment.</param>
/// <param name="Pipeline">For log scopes.</param>
/// <param name="RunId">For log scopes.</param>
public sealed record ClientLaunch(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment,
    string Pipeline,
    string RunId)
{
    /// <summary>The variables every client gets: unbuffered output so lines reach the logs as they are printed.</summary>
    public static IReadOnlyDictionary<string, string?> DefaultEnvironment { get; } = new Dictionary<string, string?>
    {
        ["PYTHONUNBUFFERED"] = "1",
        ["PYTHONIOENCODING"] = "utf-8",
    };

    /// <summary>How many of the last output lines are kept for the run record.</summary>
    public int KeptLines { get; init; } = 50;
}
