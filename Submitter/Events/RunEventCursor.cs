using System.Globalization;

namespace FlinkBeam.Submitter.Events;

/// <summary>
/// Where a client is in the stream: <c>&lt;stream&gt;-&lt;sequence&gt;</c>, where the stream is new each time the Submitter
/// starts. Opaque to clients: they hand back the last id they saw.
/// </summary>
public readonly record struct RunEventCursor(string Stream, long Sequence)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Stream}-{Sequence}");

    /// <summary>Reads a cursor; false for anything that is not one.</summary>
    public static bool TryParse(string? text, out RunEventCursor cursor)
    {
        cursor = default;
        var dash = text?.LastIndexOf('-') ?? -1;
        if (text is null || dash < 1
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        cursor = new RunEventCursor(text[..dash], sequence);
        return true;
    }

    /// <summary>
    /// Where a client that hands back <paramref name="cursor"/> resumes: the sequence after which the stream replays what
    /// it kept, or null when it must start with the full fill instead: no cursor, one that cannot be read, one of another
    /// stream (the Submitter restarted), one ahead of the stream, or one whose following events are no longer all kept.
    /// </summary>
    /// <param name="cursor">The client's last id, or null.</param>
    /// <param name="stream">This process's stream.</param>
    /// <param name="evictedUpTo">The highest sequence no longer kept (0 while nothing was dropped).</param>
    /// <param name="head">The last sequence given out.</param>
    public static long? ResumeAfter(string? cursor, string stream, long evictedUpTo, long head) =>
        TryParse(cursor, out var c) && c.Stream == stream && c.Sequence >= evictedUpTo && c.Sequence <= head
            ? c.Sequence
            : null;
}
