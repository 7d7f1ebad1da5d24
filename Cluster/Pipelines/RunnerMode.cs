namespace FlinkBeam.Cluster.Pipelines;

/// <summary>How a Python pipeline reaches Flink.</summary>
public enum RunnerMode
{
    /// <summary><c>--runner=PortableRunner</c> through a Beam job server (the default).</summary>
    Portable,

    /// <summary>
    /// <c>--runner=FlinkRunner --flink_submit_uber_jar</c>: the Python client puts the pipeline and its artifacts into Beam's Flink job
    /// server jar and submits that to Flink REST; no job server runs.
    /// </summary>
    Flink,
}
