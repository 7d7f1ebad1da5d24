namespace FlinkBeam.Submitter;

/// <summary>The command line's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The run Succeeded (or the gate holds, for <c>check</c>).</summary>
    public const int Succeeded = 0;

    /// <summary>The run ended Failed or TimedOut.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: unknown pipeline, bad flag, bad catalog, version mismatch, unusable history.</summary>
    public const int BadInput = 2;

    /// <summary>The cluster was not ready within the ready timeout.</summary>
    public const int NotReady = 3;

    /// <summary>The run was cancelled (Ctrl+C or SIGTERM).</summary>
    public const int Cancelled = 4;

    /// <summary>The Submitter itself failed (a fault, not the run's outcome); the message says what happened.</summary>
    public const int InternalError = 70;
}
