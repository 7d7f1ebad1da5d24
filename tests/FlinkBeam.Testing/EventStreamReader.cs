using System.Globalization;
using System.Text;

namespace FlinkBeam.Testing;

/// <summary>
/// Reads a text/event-stream as the WHATWG HTML parsing rules say a browser's EventSource does: <c>id:</c>, <c>event:</c>,
/// <c>data:</c> (several joined with newlines), <c>retry:</c>, comments (<c>:</c>), an event dispatched at a blank line.
/// </summary>
public sealed class EventStreamReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The last <c>retry:</c> value, in milliseconds.</summary>
    public int? Retry { get; private set; }

    /// <summary>The last event id the stream set.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>The next event or comment; null when the stream ended cleanly (a broken stream throws).</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    return new ServerSentEvent(LastEventId, name ?? "message", data.ToString());
                }

                name = null;
                continue;
            }

            if (line[0] == ':')
            {
                return new ServerSentEvent(LastEventId, null, line[1..].TrimStart(' '));
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    LastEventId = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(hasData ? "\n" : "").Append(value);
                    hasData = true;
                    break;
                case "retry" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var retry):
                    Retry = retry;
                    break;
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();
}
