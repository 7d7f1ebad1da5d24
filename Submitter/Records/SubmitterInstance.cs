namespace FlinkBeam.Submitter.Records;

/// <summary>
/// A Submitter process registered in a data directory: what it is (<see cref="Role"/>), where it runs (host, process
/// id and start marker, which name the process for good), and until when its lease holds unless renewed.
/// </summary>
public sealed record SubmitterInstance(
    string Id,
    string Role,
    string Host,
    int ProcessId,
    long ProcessStart,
    DateTimeOffset StartedAt,
    DateTimeOffset LeaseUntil)
{
    /// <summary>The service (<c>Submitter serve</c>); one live service holds a data directory.</summary>
    public const string ServeRole = "serve";

    /// <summary>One command-line run (<c>Submitter run</c>); any number may share a data directory.</summary>
    public const string RunRole = "run";

    public override string ToString() =>
        $"Submitter {Role} (process {ProcessId} on {Host}, started {StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, instance {Id})";
}
