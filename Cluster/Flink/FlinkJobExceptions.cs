namespace FlinkBeam.Cluster.Flink;

/// <summary>GET /jobs/{jid}/exceptions: the job's failures, newest first.</summary>
/// <param name="Entries">"exceptionHistory.entries" (or, from older Flink versions, "all-exceptions").</param>
/// <param name="Truncated">Whether Flink left entries out.</param>
/// <param name="RootException">"root-exception" from Flink versions that still send it.</param>
public sealed record FlinkJobExceptions(IReadOnlyList<FlinkExceptionEntry> Entries, bool Truncated, string? RootException)
{
    private const string CausedBy = "Caused by: ";
    private const string PythonTraceback = "Traceback (most recent call last):";

    /// <summary>
    /// The one line worth showing for the newest failure: the innermost "Caused by:" of its stack trace, or for a
    /// Beam Python failure the Python exception line of the traceback it carries; null when there is no failure.
    /// </summary>
    public string? RootCause
    {
        get
        {
            var newest = Entries.Count > 0 ? Entries[0] : null;
            var text = !string.IsNullOrWhiteSpace(newest?.Stacktrace) ? newest.Stacktrace : RootException;
            if (string.IsNullOrWhiteSpace(text))
            {
                return string.IsNullOrWhiteSpace(newest?.ExceptionName) ? null : newest.ExceptionName;
            }

            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var start = lines.FindLastIndex(l => l.TrimStart().StartsWith(CausedBy, StringComparison.Ordinal));
            var cause = start >= 0 ? lines[start].TrimStart()[CausedBy.Length..] : lines.First(l => l.Trim().Length > 0).Trim();

            // The SDK harness's error carries a Python traceback; its last unindented line is the Python exception.
            var traceback = lines.FindIndex(Math.Max(start, 0), l => l.Contains(PythonTraceback, StringComparison.Ordinal));
            if (traceback >= 0)
            {
                var pythonLine = lines.Skip(traceback + 1)
                    .TakeWhile(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !l.TrimStart().StartsWith(CausedBy, StringComparison.Ordinal))
                    .LastOrDefault(l => l.Length > 0 && !char.IsWhiteSpace(l[0]));
                if (pythonLine is not null)
                {
                    return pythonLine.Trim();
                }
            }

            return cause.Trim();
        }
    }
}
