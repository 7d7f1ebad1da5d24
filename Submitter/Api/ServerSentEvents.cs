using System.Buffers;
using System.Globalization;
using System.Text;
using FlinkBeam.Submitter.Events;

namespace FlinkBeam.Submitter.Api;

/// <summary>The text/event-stream framing (WHATWG HTML, server-sent events) of the stream's parts.</summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    /// <summary>The comment a quiet stream sends to stay alive.</summary>
    public const string Ping = ": ping\n\n";

    /// <summary><c>retry:</c> with the reconnection delay in milliseconds.</summary>
    public static string Retry(TimeSpan delay) =>
        string.Create(CultureInfo.InvariantCulture, $"retry: {(long)delay.TotalMilliseconds}\n\n");

    /// <summary>One event: its id, its name, and its data, one <c>data:</c> line per line of it.</summary>
    public static string Event(RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = new StringBuilder(e.Data.Length + e.Id.Length + e.Name.Length + 32);
        text.Append("id: ").Append(e.Id).Append('\n');
        text.Append("event: ").Append(e.Name).Append('\n');
        foreach (var line in e.Data.Split('\n'))
        {
            text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        return text.Append('\n').ToString();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public static void Write(IBufferWriter<byte> output, string text) => Encoding.UTF8.GetBytes(text, output);
}
