using FlinkBeam.Cluster.Configuration;

namespace FlinkBeam.Submitter.Records;

/// <summary>Reading run states as users write them.</summary>
public static class RunStates
{
    /// <summary>The state named <paramref name="text"/> (any case), or null; numbers are not names.</summary>
    public static RunState? Parse(string? text) => ConfigurationText.EnumName<RunState>(text);
}
