using FlinkBeam.Cluster.Versions;
namespace FlinkBeam.Cluster.Pipelines;

/// <summary>What the system decides about a pipeline run; <see cref="PipelineOptions.Build"/> turns it into Beam options.</summary>
public sealed record PipelineOptionsSettings
{
    /// <summary>PortableRunner through the job server, or FlinkRunner straight to Flink REST.</summary>
    public RunnerMode Mode { get; init; } = RunnerMode.Portable;

    /// <summary>The run's unique job name (see <see cref="JobNames"/>); the Flink job is found by it.</summary>
    public required string JobName { get; init; }

    /// <summary>The job server's Job API as <c>host:port</c>; required in <see cref="RunnerMode.Portable"/> mode, unused otherwise.</summary>
    public string? JobEndpoint { get; init; }

    /// <summary>The job server's artifact staging endpoint as <c>host:port</c>; optional, Portable mode only.</summary>
    public string? ArtifactEndpoint { get; init; }

    /// <summary>Where the TaskManagers run the Python SDK harness.</summary>
    public SdkEnvironment Environment { get; init; } = SdkEnvironment.External;

    /// <summary>
    /// The environment config; when null, <c>localhost:50000</c> for <see cref="SdkEnvironment.External"/> (the worker
    /// pool inside each TaskManager) and <c>{"command":"/opt/apache/beam/boot"}</c> for <see cref="SdkEnvironment.Process"/>.
    /// </summary>
    public string? EnvironmentConfig { get; init; }

    /// <summary>The job's parallelism; null leaves it to Flink's <c>parallelism.default</c>.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Flink REST as <c>http://host:port</c>; required in <see cref="RunnerMode.Flink"/> mode, unused otherwise.</summary>
    public string? FlinkMaster { get; init; }

    /// <summary>
    /// The Beam Flink job server jar the client puts the pipeline into in <see cref="RunnerMode.Flink"/> mode
    /// (<c>--flink_job_server_jar</c>); when null, Beam's client takes it from its cache or downloads it from Maven Central.
    /// </summary>
    public string? FlinkJobServerJar { get; init; }

    /// <summary>The versions; FlinkRunner mode passes the Flink version to the client when the client accepts it.</summary>
    public VersionSet Versions { get; init; } = VersionSet.Default;
}
