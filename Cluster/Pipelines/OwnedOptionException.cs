namespace FlinkBeam.Cluster.Pipelines;

/// <summary>Extra pipeline arguments tried to set options the system owns, without an explicit override.</summary>
public sealed class OwnedOptionException : ArgumentException
{
    /// <summary>Creates the exception for the owned options that extra arguments tried to set.</summary>
    public OwnedOptionException(IReadOnlyList<string> optionNames, string message)
        : base(message)
    {
        OptionNames = optionNames;
    }

    /// <summary>The owned options the extra arguments set, without the leading <c>--</c>, e.g. <c>job_name</c>.</summary>
    public IReadOnlyList<string> OptionNames { get; }

    /// <summary>The first of <see cref="OptionNames"/>.</summary>
    public string OptionName => OptionNames[0];
}
