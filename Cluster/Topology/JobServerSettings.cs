using System.Globalization;

namespace FlinkBeam.Cluster.Topology;

/// <summary>The Beam Flink job server's command line (<c>FlinkJobServerDriver</c> flags).</summary>
public sealed record JobServerSettings
{
    /// <summary>The Flink REST endpoint as <c>host:port</c>, or <c>[local]</c> / <c>[auto]</c>.</summary>
    public string FlinkMaster { get; init; } = $"{ResourceNames.JobManager}:{ClusterPorts.FlinkRest}";

    /// <summary>
    /// Where staged artifacts are written: an absolute path every TaskManager sees at the same place (a shared
    /// volume), or an object-store URL.
    /// </summary>
    public string ArtifactsDirectory { get; init; } = ContainerPaths.Artifacts;

    /// <summary>Interface the job server listens on; <c>0.0.0.0</c> so other containers and the host reach it.</summary>
    public string JobHost { get; init; } = "0.0.0.0";

    /// <summary>Job API port.</summary>
    public int JobPort { get; init; } = ClusterPorts.JobService;

    /// <summary>Artifact staging port.</summary>
    public int ArtifactPort { get; init; } = ClusterPorts.ArtifactStaging;

    /// <summary>Expansion service port.</summary>
    public int ExpansionPort { get; init; } = ClusterPorts.Expansion;

    /// <summary>Whether a job's staged artifacts are deleted when it ends.</summary>
    public bool CleanArtifactsPerJob { get; init; } = true;

    /// <summary>Optional directory holding a Flink configuration for the job server (<c>--flink-conf-dir</c>).</summary>
    public string? FlinkConfDirectory { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and what is allowed.</exception>
    public void Validate()
    {
        if (FlinkMaster is not ("[local]" or "[auto]") && !HostAndPort.TryParse(FlinkMaster, out _))
        {
            throw new ArgumentException(
                $"JobServerSettings.FlinkMaster '{FlinkMaster}' is not host:port of Flink REST (e.g. {ResourceNames.JobManager}:{ClusterPorts.FlinkRest}), [local] or [auto].");
        }

        if (!IsDirectory(ArtifactsDirectory))
        {
            throw new ArgumentException(
                $"JobServerSettings.ArtifactsDirectory '{ArtifactsDirectory}' is not an absolute path (e.g. {ContainerPaths.Artifacts}) or a URL, without whitespace.");
        }

        if (!HostAndPort.IsHost(JobHost))
        {
            throw new ArgumentException($"JobServerSettings.JobHost '{JobHost}' is not a host name or IP address (e.g. 0.0.0.0).");
        }

        ValidatePort(nameof(JobPort), JobPort);
        ValidatePort(nameof(ArtifactPort), ArtifactPort);
        ValidatePort(nameof(ExpansionPort), ExpansionPort);
        if (JobPort == ArtifactPort || JobPort == ExpansionPort || ArtifactPort == ExpansionPort)
        {
            throw new ArgumentException(
                $"JobServerSettings ports must differ; got JobPort {JobPort}, ArtifactPort {ArtifactPort}, ExpansionPort {ExpansionPort}.");
        }

        if (FlinkConfDirectory is not null && !IsDirectory(FlinkConfDirectory))
        {
            throw new ArgumentException(
                $"JobServerSettings.FlinkConfDirectory '{FlinkConfDirectory}' is not an absolute path without whitespace.");
        }
    }

    /// <summary>
    /// The arguments for the job server image, e.g. <c>--flink-master=flink-jobmanager:8081 --artifacts-dir=/artifacts
    /// --job-host=0.0.0.0 --job-port=8099 --artifact-port=8098 --expansion-port=8097 --clean-artifacts-per-job=true</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public IReadOnlyList<string> ToArguments()
    {
        Validate();
        var arguments = new List<string>
        {
            $"--flink-master={FlinkMaster}",
            $"--artifacts-dir={ArtifactsDirectory}",
            $"--job-host={JobHost}",
            string.Create(CultureInfo.InvariantCulture, $"--job-port={JobPort}"),
            string.Create(CultureInfo.InvariantCulture, $"--artifact-port={ArtifactPort}"),
            string.Create(CultureInfo.InvariantCulture, $"--expansion-port={ExpansionPort}"),
            $"--clean-artifacts-per-job={(CleanArtifactsPerJob ? "true" : "false")}",
        };
        if (FlinkConfDirectory is not null)
        {
            arguments.Add($"--flink-conf-dir={FlinkConfDirectory}");
        }

        return arguments.AsReadOnly();
    }

    private static void ValidatePort(string setting, int port)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"JobServerSettings.{setting} must be between 1 and 65535; got {port}.");
        }
    }

    private static bool IsDirectory(string? value) =>
        !string.IsNullOrEmpty(value)
        && !value.Any(char.IsWhiteSpace)
        && (value[0] == '/' || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 && value.Contains("://", StringComparison.Ordinal)));
}
