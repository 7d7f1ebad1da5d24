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
    public const string BeamBoot = Versions.BeamSdkImageLayout.Boot;

    /// <summary>The pipelines folder in the Submitter's image (<c>Submitter/Dockerfile</c>).</summary>
    public const string SubmitterPipelines = "/opt/flinkbeam/pipelines";

    /// <summary>The catalog in the Submitter's image.</summary>
    public const string SubmitterCatalog = SubmitterPipelines + "/catalog.json";

    /// <summary>The run history in the Submitter's container: a named volume in a published topology.</summary>
    public const string SubmitterData = "/var/lib/flinkbeam/submitter";

    /// <summary>The Python that runs pipeline clients in the Submitter's image, with apache-beam installed.</summary>
    public const string SubmitterPython = "/usr/local/bin/python3";
}
