using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FlinkBeam.Submitter.Records;

/// <summary>
/// A position in the history (newest first): the last run of a page, by creation time and id. Its text form,
/// <c>&lt;ticks&gt;-&lt;id&gt;</c>, is what <c>GET /runs?after=</c> and <c>runs --after</c> take.
/// </summary>
public readonly record struct RunCursor(long CreatedTicks, string Id)
{
    public static RunCursor Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunCursor(run.CreatedAt.UtcTicks, run.Id);
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out RunCursor? cursor)
    {
        cursor = null;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (text is null || dash <= 0 || dash == text.Length - 1)
        {
            return false;
        }

        var id = text[(dash + 1)..];
        if (!long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        cursor = new RunCursor(ticks, id);
        return true;
    }

    public override string ToString() => $"{CreatedTicks.ToString(CultureInfo.InvariantCulture)}-{Id}";
}
