namespace FlinkBeam.Cluster.Pipelines;

/// <summary>
/// Run job names. The Flink job is found later by this name, so it must be unique per run and survive every layer
/// unchanged: 1-63 characters of <c>a-z</c>, <c>0-9</c> and <c>'-'</c>, starting with a letter, not ending with <c>'-'</c>.
/// </summary>
public static class JobNames
{
    /// <summary>The longest job name accepted.</summary>
    public const int MaxLength = 63;

    private const string Rule = "job names are 1-63 characters of a-z, 0-9 and '-', start with a letter and do not end with '-'";

    /// <summary>
    /// <c>&lt;pipeline&gt;-&lt;shortId&gt;</c> in lower case, with <c>'_'</c> turned into <c>'-'</c> (Python module names
    /// use underscores), e.g. <c>wordcount-ab12cd34</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An input is empty or the result is not a valid job name.</exception>
    public static string Create(string pipeline, string shortId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        ArgumentException.ThrowIfNullOrWhiteSpace(shortId);
        var name = $"{pipeline}-{shortId}".ToLowerInvariant().Replace('_', '-');
        Validate(name);
        return name;
    }

    /// <summary>Whether <paramref name="jobName"/> is a valid job name.</summary>
    public static bool IsValid(string? jobName) => Problem(jobName) is null;

    /// <summary>Checks a job name.</summary>
    /// <exception cref="ArgumentException">The name breaks a rule; the message names the name and the rule.</exception>
    public static void Validate(string jobName)
    {
        if (Problem(jobName) is { } problem)
        {
            throw new ArgumentException(problem, nameof(jobName));
        }
    }

    private static string? Problem(string? jobName)
    {
        if (string.IsNullOrEmpty(jobName))
        {
            return $"A job name cannot be empty; {Rule}.";
        }

        if (jobName.Length > MaxLength)
        {
            return $"Job name '{jobName}' is {jobName.Length} characters long; {Rule}.";
        }

        foreach (var c in jobName)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                var shown = char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
                return $"Job name '{jobName}' contains '{shown}'; {Rule}.";
            }
        }

        if (!char.IsAsciiLetterLower(jobName[0]))
        {
            return $"Job name '{jobName}' does not start with a letter; {Rule}.";
        }

        if (jobName[^1] == '-')
        {
            return $"Job name '{jobName}' ends with '-'; {Rule}.";
        }

        return null;
    }
}
