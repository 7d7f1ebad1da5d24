using System.Text.RegularExpressions;

namespace FlinkBeam.Cluster.Pipelines;

/// <summary>
/// Pipeline arguments read as options, the way Python's argparse reads them: <c>--name=value</c>, <c>--name value</c>
/// or a flag <c>--name</c>; a short option <c>-n</c>; anything else is a value on its own. A following token is taken as
/// an option's value unless argparse would read it as an option itself (it starts with <c>-</c>, is not a negative
/// number and holds no blank). Names are compared without their leading dashes and with <c>-</c> and <c>_</c> alike, so
/// <c>--min-count</c>, <c>--min_count</c> and <c>min-count</c> are one option.
/// </summary>
internal static partial class OptionTokens
{
    /// <summary>The name <paramref name="option"/> is compared by: no leading dashes, hyphens as underscores.</summary>
    public static string Name(string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.TrimStart('-').Replace('-', '_');
    }

    /// <summary>How an option name is shown: <c>--name</c>, or <c>-n</c> for a one-letter name, spelt as written.</summary>
    public static string Display(string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var bare = option.TrimStart('-');
        return bare.Length == 1 ? "-" + bare : "--" + bare;
    }

    /// <summary>Groups <paramref name="args"/> into options with their values and values on their own, in order.</summary>
    /// <exception cref="ArgumentException">An argument is null.</exception>
    public static List<OptionGroup> Group(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var groups = new List<OptionGroup>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i] ?? throw new ArgumentException($"Extra pipeline argument {i} is null.", nameof(args));
            if (!LooksLikeOption(arg))
            {
                groups.Add(new OptionGroup(null, null, false, [arg]));
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var spelling = equals < 0 ? arg : arg[..equals];
            var tokens = new List<string> { arg };
            if (equals < 0 && i + 1 < args.Count && args[i + 1] is { } next && !LooksLikeOption(next))
            {
                tokens.Add(next);
                i++;
            }

            groups.Add(new OptionGroup(Name(spelling), spelling, !spelling.StartsWith("--", StringComparison.Ordinal), tokens));
        }

        return groups;
    }

    // argparse's own test: "-" alone, "--" alone, a negative number or anything with a blank is not an option.
    private static bool LooksLikeOption(string arg) =>
        arg.Length > 1
        && arg[0] == '-'
        && arg != "--"
        && !arg.Contains(' ', StringComparison.Ordinal)
        && !NegativeNumber().IsMatch(arg);

    // argparse's _negative_number_matcher.
    [GeneratedRegex(@"^-\d+$|^-\d*\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex NegativeNumber();
}

/// <summary>One option and its value tokens, or (<see cref="Name"/> null) one value on its own.</summary>
/// <param name="Name">The option's name as compared (<see cref="OptionTokens.Name"/>), or null for a value.</param>
/// <param name="Spelling">The option as written, without its value, e.g. <c>--min-count</c>.</param>
/// <param name="Short">Whether it is written with a single dash, e.g. <c>-n</c>.</param>
/// <param name="Tokens">The tokens it takes, e.g. <c>--min-count</c> and <c>2</c>.</param>
internal sealed record OptionGroup(string? Name, string? Spelling, bool Short, IReadOnlyList<string> Tokens)
{
    /// <summary>The tokens as one quoted text for messages, e.g. <c>'--min-count 2'</c>.</summary>
    public string Quoted => $"'{string.Join(' ', Tokens)}'";
}
