using System.Globalization;
using System.Text.Json;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Cluster.Pipelines;

/// <summary>
/// Builds a Python pipeline's Beam options: the options the system owns first, then the user's extra arguments.
/// An extra argument may replace an owned option only with an explicit override, which is logged.
/// </summary>
public static partial class PipelineOptions
{
    /// <summary>The default EXTERNAL environment config: the worker pool inside each TaskManager's container.</summary>
    public static readonly string DefaultExternalEnvironmentConfig = $"localhost:{ClusterPorts.WorkerPool}";

    /// <summary>The default PROCESS environment config: the Beam boot program in the TaskManager image.</summary>
    public static readonly string DefaultProcessEnvironmentConfig = $$"""{"command":"{{ContainerPaths.BeamBoot}}"}""";

    // job_endpoint, artifact_endpoint and flink_master redirect a run whichever runner is used (FlinkRunner honours
    // job_endpoint, the job server honours flink_master when the pipeline sets one), so both modes own them.
    private static readonly string[] PortableOwned =
        ["runner", "job_endpoint", "artifact_endpoint", "flink_master", "environment_type", "environment_config", "job_name", "parallelism"];

    // The uber jar carries the pipeline's artifacts to Flink itself: without it the client's own job server stages them in a
    // local temporary folder no TaskManager can read (apache/beam flink_runner.py, flink_uber_jar_job_server.py).
    private static readonly string[] FlinkOwned =
    [
        "runner", "flink_master", "flink_version", "flink_submit_uber_jar", "flink_job_server_jar", "job_endpoint", "artifact_endpoint",
        "environment_type", "environment_config", "job_name", "parallelism",
    ];

    // Options with which the client reads, installs, writes or runs files or code on the machine that starts it (the
    // Submitter's), rather than in the cluster. From apache/beam sdks/python/apache_beam/options/pipeline_options.py
    // (SetupOptions, DebugOptions, PortableOptions, JobServerOptions, FlinkRunnerOptions, SparkRunnerOptions,
    // PrismRunnerOptions, CrossLanguageOptions, GoogleCloudOptions, TestOptions), every spelling argparse accepts:
    // requirements_file/_cache (pip download into a folder), setup_file (runs setup.py), extra_package(s),
    // files_to_stage and sdk_location (read local files or download), beam_plugin(s) (modules imported),
    // prebuild_sdk_container_engine/_base_image and docker_registry_push_url (a local Docker build and push),
    // output_executable_path, dataflow_job_file and template_location (files written), artifacts_dir and jar_cache_dir
    // (a local job server's folders), job_server_java_launcher and job_server_jvm_properties (the program and JVM a
    // local job server runs with), flink_job_server_jar, spark_job_server_jar and prism_location (a jar or binary
    // fetched and run), beam_services and use_transform_service (services or Docker Compose started locally) and
    // on_success_matcher (a pickled object, loaded). Beam's parser turns argparse's abbreviations off
    // (allow_abbrev=False), so these names are matched whole.
    private static readonly string[] HostActing =
    [
        "requirements_file", "requirements_cache", "setup_file", "extra_package", "extra_packages", "files_to_stage",
        "sdk_location", "beam_plugin", "beam_plugins", "prebuild_sdk_container_engine", "prebuild_sdk_container_base_image",
        "docker_registry_push_url", "output_executable_path", "dataflow_job_file", "template_location", "artifacts_dir",
        "jar_cache_dir", "job_server_java_launcher", "job_server_jvm_properties", "job_server_jvm_property",
        "flink_job_server_jar", "spark_job_server_jar", "prism_location", "beam_services", "use_transform_service",
        "on_success_matcher",
    ];

    /// <summary>
    /// Beam options that make the client read, install, write or run files or code on the machine that starts it, without
    /// the leading <c>--</c>: a caller may set them only where the catalog entry lists them as overridable.
    /// </summary>
    public static IReadOnlyCollection<string> HostActingOptionNames { get; } = Array.AsReadOnly(HostActing);

    /// <summary>The options the system sets in either mode, without the leading <c>--</c>: no catalog entry may hand them to callers.</summary>
    public static IReadOnlyCollection<string> OwnedInAnyMode { get; } = Array.AsReadOnly(PortableOwned.Union(FlinkOwned).ToArray());

    /// <summary>The options the system sets in <paramref name="mode"/>, without the leading <c>--</c>.</summary>
    public static IReadOnlyCollection<string> OwnedOptionNames(RunnerMode mode) => mode switch
    {
        RunnerMode.Portable => Array.AsReadOnly(PortableOwned),
        RunnerMode.Flink => Array.AsReadOnly(FlinkOwned),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown runner mode; expected Portable or Flink."),
    };

    /// <summary>
    /// The pipeline's argument list. Portable: <c>--runner=PortableRunner --job_endpoint=H:P [--artifact_endpoint=H:P]
    /// --environment_type=EXTERNAL|PROCESS --environment_config=... --job_name=NAME [--parallelism=N]</c>. Flink:
    /// <c>--runner=FlinkRunner --flink_master=http://H:P [--flink_version=1.20] --flink_submit_uber_jar [--flink_job_server_jar=J]
    /// --environment_type=... --environment_config=... --job_name=NAME [--parallelism=N]</c>; <c>--flink_version</c> only when the
    /// pinned Beam client accepts it (<see cref="FlinkRunnerClientVersions"/>): the uber-jar path reads Flink's version from its REST
    /// API, so leaving it out loses nothing. Then <paramref name="extraArgs"/> in their order.
    /// </summary>
    /// <param name="settings">What the system decided.</param>
    /// <param name="extraArgs">User arguments; an owned option may appear as <c>--name=value</c> or <c>--name value</c> (hyphens count as underscores).</param>
    /// <param name="allowOverride">Let extra arguments replace owned options: the system's value is dropped and a warning is logged per option.</param>
    /// <param name="logger">Receives the override warnings.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    /// <exception cref="OwnedOptionException">Extra arguments set owned options and <paramref name="allowOverride"/> is false.</exception>
    public static IReadOnlyList<string> Build(
        PipelineOptionsSettings settings,
        IReadOnlyList<string>? extraArgs = null,
        bool allowOverride = false,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var system = SystemOptions(settings);
        var extras = OptionTokens.Group(extraArgs ?? []);
        var owned = OwnedOptionNames(settings.Mode);

        var overridden = extras
            .Where(g => g.Name is not null && owned.Contains(g.Name))
            .Select(g => g.Name!)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        if (overridden.Count > 0 && !allowOverride)
        {
            var offending = extras.Where(g => g.Name is not null && overridden.Contains(g.Name)).Select(g => string.Join(' ', g.Tokens));
            throw new OwnedOptionException(
                overridden.AsReadOnly(),
                $"Extra pipeline arguments {string.Join(", ", offending.Select(a => $"'{a}'"))} set {string.Join(", ", overridden)}, which the system owns "
                + $"(owned in {settings.Mode} mode: {string.Join(", ", owned)}); remove them or allow an explicit override.");
        }

        var result = new List<string>();
        foreach (var (name, value) in system)
        {
            if (overridden.Contains(name))
            {
                continue;
            }

            result.Add(Render((name, value)));
        }

        foreach (var name in overridden)
        {
            var replaced = system.Exists(o => o.Name == name) ? system.First(o => o.Name == name).Value ?? $"--{name}" : null;
            var replacement = string.Join(' ', extras.Where(g => g.Name == name).SelectMany(g => g.Tokens));
            if (logger is not null)
            {
                LogOverride(logger, name, replaced ?? "(not set)", replacement);
            }
        }

        result.AddRange(extras.SelectMany(g => g.Tokens));
        return result.AsReadOnly();
    }

    private static string Render((string Name, string? Value) option) =>
        option.Value is null ? $"--{option.Name}" : $"--{option.Name}={option.Value}";

    /// <summary>The options the system sets, in order; a null value is a flag without a value (argparse <c>store_true</c>).</summary>
    private static List<(string Name, string? Value)> SystemOptions(PipelineOptionsSettings settings)
    {
        JobNames.Validate(settings.JobName);
        if (settings.Versions is null)
        {
            throw new ArgumentException("PipelineOptionsSettings.Versions is required.");
        }

        if (settings.Parallelism is < 1)
        {
            throw new ArgumentException($"PipelineOptionsSettings.Parallelism must be at least 1 when set; got {settings.Parallelism}.");
        }

        var options = new List<(string, string?)>();
        switch (settings.Mode)
        {
            case RunnerMode.Portable:
                if (string.IsNullOrEmpty(settings.JobEndpoint))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.JobEndpoint is required in Portable mode: host:port of the Beam job server, e.g. localhost:{ClusterPorts.JobService}.");
                }

                if (!HostAndPort.TryParse(settings.JobEndpoint, out _))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.JobEndpoint '{settings.JobEndpoint}' is not host:port, e.g. localhost:{ClusterPorts.JobService}.");
                }

                if (settings.ArtifactEndpoint is not null && !HostAndPort.TryParse(settings.ArtifactEndpoint, out _))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.ArtifactEndpoint '{settings.ArtifactEndpoint}' is not host:port, e.g. localhost:{ClusterPorts.ArtifactStaging}.");
                }

                options.Add(("runner", "PortableRunner"));
                options.Add(("job_endpoint", settings.JobEndpoint));
                if (settings.ArtifactEndpoint is not null)
                {
                    options.Add(("artifact_endpoint", settings.ArtifactEndpoint));
                }

                break;

            case RunnerMode.Flink:
                if (string.IsNullOrEmpty(settings.FlinkMaster))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.FlinkMaster is required in Flink mode: Flink REST as http://host:port, e.g. http://localhost:{ClusterPorts.FlinkRest}.");
                }

                if (!IsFlinkMasterUrl(settings.FlinkMaster))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.FlinkMaster '{settings.FlinkMaster}' is not http://host:port, e.g. http://localhost:{ClusterPorts.FlinkRest}.");
                }

                options.Add(("runner", "FlinkRunner"));
                options.Add(("flink_master", settings.FlinkMaster.TrimEnd('/')));
                if (FlinkRunnerClientVersions.Accepts(settings.Versions.Beam, settings.Versions.Flink))
                {
                    options.Add(("flink_version", settings.Versions.Flink.ToString()));
                }

                options.Add(("flink_submit_uber_jar", null));
                if (settings.FlinkJobServerJar is { } jar)
                {
                    if (string.IsNullOrWhiteSpace(jar))
                    {
                        throw new ArgumentException("PipelineOptionsSettings.FlinkJobServerJar is blank; give the path of a Beam Flink job server jar, or leave it unset.");
                    }

                    options.Add(("flink_job_server_jar", jar));
                }

                break;

            default:
                throw new ArgumentException($"PipelineOptionsSettings.Mode '{settings.Mode}' is not a runner mode; expected Portable or Flink.");
        }

        var (environmentType, environmentConfig) = Environment(settings);
        options.Add(("environment_type", environmentType));
        options.Add(("environment_config", environmentConfig));
        options.Add(("job_name", settings.JobName));
        if (settings.Parallelism is { } parallelism)
        {
            options.Add(("parallelism", parallelism.ToString(CultureInfo.InvariantCulture)));
        }

        return options;
    }

    private static (string Type, string Config) Environment(PipelineOptionsSettings settings)
    {
        switch (settings.Environment)
        {
            case SdkEnvironment.External:
                var address = settings.EnvironmentConfig ?? DefaultExternalEnvironmentConfig;
                if (!HostAndPort.TryParse(address, out _))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.EnvironmentConfig '{address}' is not host:port of a worker pool, e.g. {DefaultExternalEnvironmentConfig}.");
                }

                return ("EXTERNAL", address);

            case SdkEnvironment.Process:
                var config = settings.EnvironmentConfig ?? DefaultProcessEnvironmentConfig;
                if (!IsProcessConfig(config))
                {
                    throw new ArgumentException(
                        $"PipelineOptionsSettings.EnvironmentConfig '{config}' is not a JSON object with a \"command\" string, e.g. {DefaultProcessEnvironmentConfig}.");
                }

                return ("PROCESS", config);

            default:
                throw new ArgumentException(
                    $"PipelineOptionsSettings.Environment '{settings.Environment}' is not an SDK environment; expected External or Process.");
        }
    }

    private static bool IsProcessConfig(string config)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("command", out var command)
                && command.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(command.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsFlinkMasterUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.PathAndQuery == "/"
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Fragment)
        && HostAndPort.TryFromUri(uri, out _)
        && text.AsSpan(uri.Scheme.Length + 3).TrimEnd('/').Contains(':');

    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Warning,
        Message = "Extra pipeline arguments override the system-owned option {Option}: system value {SystemValue} replaced by '{Replacement}'")]
    private static partial void LogOverride(ILogger logger, string option, string systemValue, string replacement);
}
