namespace FlinkBeam.Cluster.Versions;

/// <summary>The version set used when configuration names none. <c>pipelines/requirements.txt</c> pins the same Beam release.</summary>
public static class VersionDefaults
{
    /// <summary>Default Apache Beam release.</summary>
    public const string Beam = "2.77.0";

    /// <summary>Default Flink minor version.</summary>
    public const string Flink = "1.20";

    /// <summary>Default Python minor version (client and SDK image).</summary>
    public const string Python = "3.12";
}
