using System.Text.Json;

namespace FlinkBeam.Testing;

/// <summary>What a text/event-stream delivers: an event (with the last id seen, its name and data) or a comment.</summary>
/// <param name="Id">The last event id set so far in the stream (an event without <c>id:</c> keeps the previous one).</param>
/// <param name="Name">The event's name (<c>message</c> when it had no <c>event:</c> line); null for a comment.</param>
/// <param name="Data">The data lines joined with newlines; for a comment, its text.</param>
public sealed record ServerSentEvent(string? Id, string? Name, string Data)
{
    public bool IsComment => Name is null;

    /// <summary>The data as JSON.</summary>
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Data);

    public override string ToString() => IsComment ? $": {Data}" : $"{Name} {Id}: {Data}";
}
