namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// Where Beam's Python SDK image (<c>apache/beam_python&lt;py&gt;_sdk</c>, built from apache/beam
/// <c>sdks/python/container/Dockerfile</c>) and its boot program (<c>sdks/python/container/boot.go</c>) keep their files, as
/// read in those sources. The image runs as root (its Dockerfile has no <c>USER</c>) on a Debian <c>python</c> base.
/// </summary>
public static class BeamSdkImageLayout
{
    /// <summary>The boot program: <c>--worker_pool</c> starts the worker pool, otherwise it starts one SDK worker.</summary>
    public const string Boot = "/opt/apache/beam/boot";

    /// <summary>
    /// Where boot makes each worker's virtual environment (<c>beam-venv-worker-&lt;id&gt;</c>, mode 0750) unless
    /// <see cref="DefaultEnvironmentVariable"/> is set: the user that runs boot must be able to create folders here.
    /// </summary>
    public const string VirtualEnvironments = "/opt/apache/beam-venv";

    /// <summary>The variable that makes boot skip its virtual environment and install into the image's own Python.</summary>
    public const string DefaultEnvironmentVariable = "RUN_PYTHON_SDK_IN_DEFAULT_ENVIRONMENT";

    /// <summary>
    /// boot's <c>--semi_persist_dir</c> default; staged artifacts land in <c>staged</c> under it. Neither the worker pool nor a
    /// Flink TaskManager passes the flag, so workers stage in <c>/tmp/staged</c>, which any user may create.
    /// </summary>
    public const string SemiPersistDirectory = "/tmp";

    /// <summary>The worker pool's port: boot passes <c>--service_port=50000</c> to <c>worker_pool_main</c>, with no option to change it.</summary>
    public const int WorkerPoolPort = 50000;
}
