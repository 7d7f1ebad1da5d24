using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>
/// The Submitter's settings. Service mode binds them from the <c>Submitter</c> configuration section
/// (environment variables <c>Submitter__Key</c> from the AppHost); CLI mode fills them from flags.
/// Cluster endpoints left empty here are resolved from Aspire's <c>services__{name}__{endpoint}__0</c> entries.
/// </summary>
public sealed class SubmitterOptions
{
    public const string SectionName = SubmitterSettingNames.SectionName;

    public RunnerMode Mode { get; set; } = RunnerMode.Portable;

    /// <summary>Path of <c>catalog.json</c>; relative paths are resolved against the working directory.</summary>
    public string CatalogPath { get; set; } = Path.Combine("pipelines", "catalog.json");

    /// <summary>Folder of the run history.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>The Python interpreter that runs pipeline clients (the pipelines' venv under Aspire).</summary>
    public string PythonPath { get; set; } = "python3";

    /// <summary>Flink REST base URL, e.g. <c>http://localhost:8081</c>.</summary>
    public string? FlinkRestUrl { get; set; }

    /// <summary>Beam Job API address as <c>host:port</c>.</summary>
    public string? JobEndpoint { get; set; }

    /// <summary>Beam artifact staging address as <c>host:port</c>; the job service's own answer when empty.</summary>
    public string? ArtifactEndpoint { get; set; }

    /// <summary>
    /// Flink mode: the Beam Flink job server jar the client embeds the pipeline in (<c>--flink_job_server_jar</c>); when empty,
    /// Beam's client takes it from its cache (<c>~/.apache_beam/cache/jars</c>) or downloads it from Maven Central.
    /// </summary>
    public string? FlinkJobServerJar { get; set; }

    /// <summary>Worker pool addresses (<c>host:port</c>) the gate probes; one per TaskManager.</summary>
    public List<string> WorkerPools { get; set; } = [];

    /// <summary>TaskManagers the gate expects Flink to report.</summary>
    public int TaskManagers { get; set; } = 1;

    public string BeamVersion { get; set; } = VersionDefaults.Beam;
    public string FlinkVersion { get; set; } = VersionDefaults.Flink;
    public string PythonVersion { get; set; } = VersionDefaults.Python;

    public SdkEnvironment Environment { get; set; } = SdkEnvironment.External;

    /// <summary><c>--environment_config</c>; <c>localhost:50000</c> for External, the boot command for Process when empty.</summary>
    public string? EnvironmentConfig { get; set; }

    /// <summary>How long a run waits for the readiness gate.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one network readiness check (Flink REST, Job API, worker pool) may take before it counts as failed.</summary>
    public TimeSpan ConditionTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the Python environment check (<c>env_check.py</c>, which imports apache_beam) may take.</summary>
    public TimeSpan PythonCheckTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a client may live on after its job reached a terminal state.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a running client may go without its Flink job appearing.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries for a client that fails transiently before any job exists.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>First retry delay; doubled (with jitter) for each further retry.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether shutdown cancels the runs this Submitter started.</summary>
    public bool CancelOnShutdown { get; set; } = true;

    /// <summary>Pipelines to run once, when the cluster is first ready (service mode).</summary>
    public List<string> AutoRun { get; set; } = [];

    /// <summary>How often the metrics of this Submitter's running Flink jobs are read, in one round for all of them (service mode).</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest request body the HTTP API accepts (service mode); larger ones are answered 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The key callers of the HTTP API present as <c>Authorization: Bearer &lt;key&gt;</c> (service mode); null or empty for
    /// none, which <c>serve</c> allows only on loopback unless <see cref="AllowAnonymous"/> is set. Never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether <c>serve</c> may listen beyond loopback without <see cref="ApiKey"/>: an explicit choice to let anyone who can reach it use the API.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Host names the HTTP API answers besides localhost, loopback addresses and the hosts it listens on; <c>*.domain</c> and <c>*</c> allowed.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Values of the configuration section that could not be read (<see cref="SubmitterOptionsBinder"/>); reported by the validator.</summary>
    internal List<string> ConfigurationProblems { get; } = [];
}
