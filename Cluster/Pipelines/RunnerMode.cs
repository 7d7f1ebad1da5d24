namespace FlinkBeam.Cluster.Pipelines;

/// <summary>How a Python pipeline reaches Flink.</summary>
public enum RunnerMode
{
    /// <summary><c>--runner=PortableRunner</c> through a Beam job server (the default).</summary>
    Portable,

    /// <summary><c>--runner=FlinkRunner</c>: the Python client starts its own job server and submits to Flink REST.</summary>
    Flink,
}
