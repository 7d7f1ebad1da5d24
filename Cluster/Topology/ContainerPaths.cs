namespace FlinkBeam.Cluster.Topology;

/// <summary>Paths inside the cluster's containers that several components must agree on.</summary>
public static class ContainerPaths
{
    /// <summary>The shared artifacts volume on the job server and every TaskManager.</summary>
    public const string Artifacts = "/artifacts";

    /// <summary>Sample input, bind-mounted read-only into every TaskManager.</summary>
    public const string Data = "/data";

    /// <summary>Pipeline output, bind-mounted into every TaskManager.</summary>
    public const string Outputs = "/outputs";

    /// <summary>Checkpoints and savepoints, shared by the JobManager and every TaskManager.</summary>
    public const string Checkpoints = "/checkpoints";

    /// <summary>The Beam SDK boot program in the TaskManager image (worker pool and PROCESS environment).</summary>
    public const string BeamBoot = "/opt/apache/beam/boot";
}
