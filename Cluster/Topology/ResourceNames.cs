namespace FlinkBeam.Cluster.Topology;

/// <summary>
/// Names of the cluster's components. Under Aspire they are resource names, container host names
/// and service-discovery keys (<c>services__{name}__{endpoint}__0</c>) at once.
/// </summary>
public static class ResourceNames
{
    /// <summary>The Flink JobManager.</summary>
    public const string JobManager = "flink-jobmanager";

    /// <summary>Prefix of the TaskManagers' names.</summary>
    public const string TaskManagerPrefix = "flink-taskmanager";

    /// <summary>The Beam Flink job server.</summary>
    public const string JobServer = "beam-jobserver";

    /// <summary>The pipelines' Python environment.</summary>
    public const string Pipelines = "pipelines";

    /// <summary>The Submitter service.</summary>
    public const string Submitter = "submitter";

    /// <summary>The name of the TaskManager with the given 1-based index, e.g. <c>flink-taskmanager-1</c>.</summary>
    public static string TaskManager(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        return $"{TaskManagerPrefix}-{index}";
    }
}
