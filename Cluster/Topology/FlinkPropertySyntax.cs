namespace FlinkBeam.Cluster.Topology;

/// <summary>
/// What a key and a value of <c>FLINK_PROPERTIES</c> may contain. The official Flink image's entrypoint deletes every
/// whitespace character of a line, splits it at the first <c>':'</c>, runs the value through <c>envsubst</c> and, in some
/// releases, through <c>eval</c>; older releases append the lines to a YAML file where <c>'#'</c> starts a comment. So keys
/// and values are restricted to characters that survive all of that unchanged.
/// </summary>
public static class FlinkPropertySyntax
{
    /// <summary>The punctuation allowed in values besides ASCII letters and digits.</summary>
    public const string ValuePunctuation = "._-/:,=@+%~";

    /// <summary>Checks a key without setting it.</summary>
    /// <exception cref="ArgumentException">The key is empty, does not start with a letter, or has a character other than ASCII letters, digits, <c>'.'</c>, <c>'-'</c> and <c>'_'</c>.</exception>
    public static void ValidateKey(string key)
    {
        const string Rule = "keys are ASCII letters, digits, '.', '-' and '_', starting with a letter";
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"A Flink property key cannot be empty; {Rule}.", nameof(key));
        }

        foreach (var c in key)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException(
                    $"Flink property key '{Escape(key)}' contains whitespace or a line break, which FLINK_PROPERTIES cannot carry; {Rule}.", nameof(key));
            }

            if (c == ':')
            {
                throw new ArgumentException(
                    $"Flink property key '{Escape(key)}' contains ':', which separates key from value in FLINK_PROPERTIES; {Rule}.", nameof(key));
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                throw new ArgumentException($"Flink property key '{Escape(key)}' contains '{Escape(c.ToString())}'; {Rule}.", nameof(key));
            }
        }

        if (!char.IsAsciiLetter(key[0]))
        {
            throw new ArgumentException($"Flink property key '{key}' does not start with a letter; {Rule}.", nameof(key));
        }
    }

    /// <summary>Checks a value without setting it.</summary>
    /// <exception cref="ArgumentException">The value is empty, contains whitespace, or a character the image's entrypoint would interpret.</exception>
    public static void ValidateValue(string key, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"Flink property '{Escape(key)}' has an empty value.", nameof(value));
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException(
                    $"Flink property '{Escape(key)}' value '{Escape(value)}' contains whitespace or a line break, which the Flink image's entrypoint strips or splits on.",
                    nameof(value));
            }

            if (!(char.IsAsciiLetterOrDigit(c) || ValuePunctuation.Contains(c)))
            {
                throw new ArgumentException(
                    $"Flink property '{Escape(key)}' value '{Escape(value)}' contains '{Escape(c.ToString())}', which the Flink image's entrypoint would interpret; values may use ASCII letters, digits and {string.Join(' ', ValuePunctuation.ToCharArray())}.",
                    nameof(value));
            }
        }
    }

    private static string Escape(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal);
}
