namespace FlinkBeam.Cluster.Topology;

/// <summary>Endpoint names shared by the AppHost's resources and the Submitter's configuration.</summary>
public static class EndpointNames
{
    /// <summary>The Flink JobManager's REST/UI endpoint.</summary>
    public const string FlinkRest = "http";

    /// <summary>The job server's Job API endpoint.</summary>
    public const string JobService = "job";

    /// <summary>The job server's artifact staging endpoint.</summary>
    public const string ArtifactStaging = "artifact";

    /// <summary>The job server's expansion service endpoint.</summary>
    public const string Expansion = "expansion";

    /// <summary>A TaskManager's Beam worker pool endpoint.</summary>
    public const string WorkerPool = "workerpool";

    /// <summary>The Submitter's HTTP API endpoint.</summary>
    public const string SubmitterHttp = "http";
}
