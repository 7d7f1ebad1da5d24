using System.Globalization;
using System.Text;

namespace FlinkBeam.Hosting;

/// <summary>
/// Extra pipeline arguments typed as one line, split into the argument list the Submitter passes to the client process
/// (never to a shell): whitespace separates arguments; single quotes keep everything between them; double quotes keep
/// everything but <c>\"</c> and <c>\\</c>, which stand for <c>"</c> and <c>\</c>; outside quotes a backslash keeps the
/// next character as it is. Nothing is expanded: no variables, globs or tildes.
/// </summary>
internal static class RunArguments
{
    /// <summary>The arguments of <paramref name="line"/>, or the one sentence saying why it cannot be split.</summary>
    public static (IReadOnlyList<string> Args, string? Error) Split(string? line)
    {
        var args = new List<string>();
        if (string.IsNullOrWhiteSpace(line))
        {
            return (args, null);
        }

        var current = new StringBuilder();
        var inArgument = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inArgument)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }

                continue;
            }

            inArgument = true;
            switch (c)
            {
                case '\'':
                    var closing = line.IndexOf('\'', i + 1);
                    if (closing < 0)
                    {
                        return (Array.Empty<string>(), Unclosed("single", i));
                    }

                    current.Append(line, i + 1, closing - i - 1);
                    i = closing;
                    break;
                case '"':
                    var start = i;
                    for (i++; i < line.Length && line[i] != '"'; i++)
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                        {
                            i++;
                        }

                        current.Append(line[i]);
                    }

                    if (i == line.Length)
                    {
                        return (Array.Empty<string>(), Unclosed("double", start));
                    }

                    break;
                case '\\':
                    if (i + 1 == line.Length)
                    {
                        return (Array.Empty<string>(), "The backslash at the end of the arguments escapes nothing; remove it, or write \\\\ for a backslash.");
                    }

                    current.Append(line[++i]);
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        if (inArgument)
        {
            args.Add(current.ToString());
        }

        return (args, null);
    }

    private static string Unclosed(string kind, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"The {kind} quote at character {position + 1} is never closed; close it, or escape it with a backslash.");
}
