namespace FlinkBeam.Submitter.Events;

/// <summary>One event of the stream of run changes.</summary>
/// <param name="Sequence">Its place in this process's stream; later events have larger numbers.</param>
/// <param name="Id">Its cursor, <c>&lt;stream&gt;-&lt;sequence&gt;</c> (<see cref="RunEventCursor"/>).</param>
/// <param name="Name">One of <see cref="RunEventNames"/>.</param>
/// <param name="Data">One JSON object, on one line.</param>
public sealed record RunEvent(long Sequence, string Id, string Name, string Data);

/// <summary>The names of the stream's events; a client ignores a name it does not know.</summary>
public static class RunEventNames
{
    /// <summary>The state of one catalog pipeline (<see cref="Records.PipelineSummary"/>).</summary>
    public const string Pipeline = "pipeline";

    /// <summary><c>{}</c>: the fill (or the replay after a cursor) is complete; what follows is live.</summary>
    public const string Synced = "synced";

    /// <summary>A line a client printed (<see cref="ClientOutputLine"/>); live only.</summary>
    public const string Output = "output";

    /// <summary>The figures Flink gave for a running run in one metrics round; live only.</summary>
    public const string Metrics = "metrics";
}
