namespace FlinkBeam.Cluster.Pipelines;

/// <summary>Where the TaskManagers run the Beam Python SDK harness.</summary>
public enum SdkEnvironment
{
    /// <summary>A worker pool in the TaskManager's network namespace (<c>--environment_type=EXTERNAL</c>).</summary>
    External,

    /// <summary>The Beam boot program started by the TaskManager itself (<c>--environment_type=PROCESS</c>).</summary>
    Process,
}
