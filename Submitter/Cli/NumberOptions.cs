using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace FlinkBeam.Submitter.Cli;

/// <summary>
/// Options that take numbers. Each reads its own token, so a value that is not a number, or out of range, is a parse
/// error naming the option and the value (exit code 2), never an exception.
/// </summary>
internal static class NumberOptions
{
    /// <summary>A number of seconds: above 0, or 0 and above with <paramref name="allowZero"/>.</summary>
    public static Option<double?> Seconds(string name, string description, bool allowZero = false) => new(name)
    {
        HelpName = "seconds",
        Description = description,
        CustomParser = result =>
        {
            var text = Token(result);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value) && (value > 0 || (allowZero && value == 0)) && value <= TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return value;
            }

            result.AddError($"{name} must be a number of seconds {(allowZero ? "of 0 or more" : "above 0")}; got '{text}'.");
            return null;
        },
    };

    /// <summary>A whole number of at least <paramref name="minimum"/>.</summary>
    public static Option<int> Count(string name, string helpName, string description, int minimum, int defaultValue, int maximum = int.MaxValue) => new(name)
    {
        HelpName = helpName,
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = Token(result);
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            {
                return value;
            }

            result.AddError(maximum == int.MaxValue
                ? $"{name} must be a whole number of {minimum} or more; got '{text}'."
                : $"{name} must be a whole number from {minimum} to {maximum}; got '{text}'.");
            return defaultValue;
        },
    };

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
