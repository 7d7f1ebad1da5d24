namespace FlinkBeam.Cluster.Topology;

/// <summary>The container-side ports of a Flink + Beam cluster, defined once for every component.</summary>
public static class ClusterPorts
{
    /// <summary>Flink JobManager REST API and web UI.</summary>
    public const int FlinkRest = 8081;

    /// <summary>Flink JobManager RPC (reached inside the container network only).</summary>
    public const int FlinkRpc = 6123;

    /// <summary>Flink JobManager blob server (reached inside the container network only).</summary>
    public const int FlinkBlob = 6124;

    /// <summary>Beam job server: Job API (gRPC).</summary>
    public const int JobService = 8099;

    /// <summary>Beam job server: artifact staging (gRPC).</summary>
    public const int ArtifactStaging = 8098;

    /// <summary>Beam job server: expansion service (gRPC).</summary>
    public const int Expansion = 8097;

    /// <summary>Beam Python SDK worker pool; fixed by the SDK image's boot program.</summary>
    public const int WorkerPool = 50000;
}
