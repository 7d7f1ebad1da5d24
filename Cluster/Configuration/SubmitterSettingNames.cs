using System.Globalization;

namespace FlinkBeam.Cluster.Configuration;

/// <summary>
/// The settings of the Submitter's <c>Submitter</c> configuration section, by name: the one contract between whoever
/// configures a Submitter (the AppHost, through environment variables) and the Submitter's own reader of the section.
/// </summary>
public static class SubmitterSettingNames
{
    /// <summary>The configuration section, e.g. <c>Submitter:Grace</c> or <c>Submitter__Grace</c>.</summary>
    public const string SectionName = "Submitter";

    /// <summary><c>Portable</c> (through a job server) or <c>Flink</c> (Beam's FlinkRunner).</summary>
    public const string Mode = "Mode";

    /// <summary>Path of the pipelines' <c>catalog.json</c>.</summary>
    public const string CatalogPath = "CatalogPath";

    /// <summary>Folder of the run history.</summary>
    public const string DataDirectory = "DataDirectory";

    /// <summary>The Python interpreter that runs pipeline clients.</summary>
    public const string PythonPath = "PythonPath";

    /// <summary>Flink REST as an http(s) URL.</summary>
    public const string FlinkRestUrl = "FlinkRestUrl";

    /// <summary>The Beam Job API as host:port.</summary>
    public const string JobEndpoint = "JobEndpoint";

    /// <summary>Beam artifact staging as host:port.</summary>
    public const string ArtifactEndpoint = "ArtifactEndpoint";

    /// <summary>
    /// The Beam Flink job server jar FlinkRunner mode submits inside its uber jar (a local path); when unset, Beam's client takes
    /// it from its cache or Maven Central.
    /// </summary>
    public const string FlinkJobServerJar = "FlinkJobServerJar";

    /// <summary>The worker pools the gate checks, a list of host:port.</summary>
    public const string WorkerPools = "WorkerPools";

    /// <summary>The TaskManagers the gate expects.</summary>
    public const string TaskManagers = "TaskManagers";

    /// <summary>The Beam release.</summary>
    public const string BeamVersion = "BeamVersion";

    /// <summary>The Flink minor version.</summary>
    public const string FlinkVersion = "FlinkVersion";

    /// <summary>The Python minor version.</summary>
    public const string PythonVersion = "PythonVersion";

    /// <summary>Where the TaskManagers run the SDK harness: <c>External</c> or <c>Process</c>.</summary>
    public const string Environment = "Environment";

    /// <summary>The SDK harness's <c>--environment_config</c>.</summary>
    public const string EnvironmentConfig = "EnvironmentConfig";

    /// <summary>How long a run waits for the readiness gate.</summary>
    public const string ReadyTimeout = "ReadyTimeout";

    /// <summary>How long one network readiness check may take.</summary>
    public const string ConditionTimeout = "ConditionTimeout";

    /// <summary>How long the Python environment check may take.</summary>
    public const string PythonCheckTimeout = "PythonCheckTimeout";

    /// <summary>How long a client may live on after its job ended.</summary>
    public const string Grace = "Grace";

    /// <summary>How long a running client may go without its Flink job appearing.</summary>
    public const string JobTimeout = "JobTimeout";

    /// <summary>Retries of a client that fails transiently before any job exists.</summary>
    public const string Retries = "Retries";

    /// <summary>The first retry delay.</summary>
    public const string RetryBackoff = "RetryBackoff";

    /// <summary>Whether shutdown cancels the runs the Submitter started.</summary>
    public const string CancelOnShutdown = "CancelOnShutdown";

    /// <summary>Pipelines run once when the cluster is first ready, a list.</summary>
    public const string AutoRun = "AutoRun";

    /// <summary>The largest request body the API accepts.</summary>
    public const string MaxRequestBodyBytes = "MaxRequestBodyBytes";

    /// <summary>The key callers present as <c>Authorization: Bearer &lt;key&gt;</c>; every endpoint but health requires it when set.</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>Whether the API may listen beyond loopback without a key (an explicit choice).</summary>
    public const string AllowAnonymous = "AllowAnonymous";

    /// <summary>Host names the API answers besides localhost and loopback addresses, a list.</summary>
    public const string AllowedHosts = "AllowedHosts";

    /// <summary>How often the metrics of running Flink jobs are read.</summary>
    public const string MetricsInterval = "MetricsInterval";

    /// <summary>
    /// The environment variable that sets <paramref name="name"/>, e.g. <c>Submitter__Grace</c>; with
    /// <paramref name="index"/>, one entry of a list, e.g. <c>Submitter__AutoRun__0</c>.
    /// </summary>
    /// <param name="name">One of this class's names.</param>
    /// <param name="index">The entry of a list setting, or null.</param>
    public static string EnvironmentVariable(string name, int? index = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return index is { } i
            ? string.Create(CultureInfo.InvariantCulture, $"{SectionName}__{name}__{i}")
            : $"{SectionName}__{name}";
    }
}
