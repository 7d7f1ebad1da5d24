namespace FlinkBeam.Cluster.Pipelines;

/// <summary>
/// What a caller may add to a catalogued pipeline's arguments. The catalog entry fixes its own arguments: a caller's
/// option may not replace one of them, nor set a Beam option that acts on the Submitter's machine
/// (<see cref="PipelineOptions.HostActingOptionNames"/>), unless the entry lists that option as overridable. Options are
/// recognised in the <c>--x=v</c> and <c>--x v</c> spellings, with <c>-</c> and <c>_</c> alike, and as an abbreviation
/// of a fixed option that is not overridable (argparse accepts unambiguous abbreviations unless a script turns them off). A short option
/// (<c>-o</c>) may stand for any option of the script, so it needs to be listed too. The options the Submitter owns are
/// refused later, whatever the catalog says (<see cref="PipelineOptions.Build"/>).
/// </summary>
public static class PipelineArguments
{
    /// <summary>
    /// The catalog's arguments followed by the caller's; a fixed option the caller replaces (it is overridable) is left
    /// out of the catalog's part, so the caller's value is the only one.
    /// </summary>
    /// <param name="pipeline">The catalog entry's name, for the message.</param>
    /// <param name="fixedArgs">The entry's own arguments.</param>
    /// <param name="callerArgs">The caller's extra arguments.</param>
    /// <param name="overridable">The options the entry lets callers set, with or without their leading dashes.</param>
    /// <exception cref="RefusedOptionException">A caller's option is not the caller's to set; the message names it.</exception>
    /// <exception cref="ArgumentException">An argument is null.</exception>
    public static IReadOnlyList<string> Combine(
        string pipeline, IReadOnlyList<string> fixedArgs, IReadOnlyList<string> callerArgs, IReadOnlyCollection<string> overridable)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(fixedArgs);
        ArgumentNullException.ThrowIfNull(callerArgs);
        ArgumentNullException.ThrowIfNull(overridable);

        var allowed = overridable.Select(OptionTokens.Name).ToHashSet(StringComparer.Ordinal);
        var fixedGroups = OptionTokens.Group(fixedArgs);
        var fixedOptions = fixedGroups.Where(g => g.Name is not null).DistinctBy(g => g.Name).ToList();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in OptionTokens.Group(callerArgs))
        {
            if (option.Name is not { } name || allowed.Contains(name))
            {
                if (option.Name is not null && fixedOptions.Any(f => f.Name == option.Name))
                {
                    replaced.Add(option.Name);
                }

                continue;
            }

            if (option.Short)
            {
                throw Refused(option, $"{option.Quoted} is a short option, which may stand for any option of the script; "
                    + $"spell it out, or list {option.Spelling} as overridable in the catalog entry '{pipeline}' ({Listed(overridable)}).");
            }

            if (PipelineOptions.HostActingOptionNames.Contains(name))
            {
                throw Refused(option, $"{option.Quoted} sets {option.Spelling}, which makes the client read, install or run files on the Submitter's machine; "
                    + $"the catalog entry '{pipeline}' does not list it as overridable ({Listed(overridable)}).");
            }

            if (fixedOptions.FirstOrDefault(f => f.Name == name) is { } replacedOption)
            {
                throw Refused(option, $"{option.Quoted} would replace {replacedOption.Spelling}, which the catalog entry '{pipeline}' fixes; "
                    + $"callers may replace only the options it lists as overridable ({Listed(overridable)}).");
            }

            if (fixedOptions.FirstOrDefault(f => f.Name!.StartsWith(name, StringComparison.Ordinal) && !allowed.Contains(f.Name)) is { } abbreviated)
            {
                throw Refused(option, $"{option.Quoted} can be read as an abbreviation of {abbreviated.Spelling}, which the catalog entry '{pipeline}' fixes; "
                    + $"callers may replace only the options it lists as overridable ({Listed(overridable)}).");
            }
        }

        return
        [
            .. fixedGroups.Where(g => g.Name is null || !replaced.Contains(g.Name)).SelectMany(g => g.Tokens),
            .. callerArgs,
        ];
    }

    private static RefusedOptionException Refused(OptionGroup option, string message) => new(option.Spelling!, message);

    private static string Listed(IReadOnlyCollection<string> overridable) =>
        overridable.Count == 0 ? "it lists none" : "it lists " + string.Join(", ", overridable.Select(OptionTokens.Display));
}
