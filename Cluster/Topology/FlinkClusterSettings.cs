using System.Text.RegularExpressions;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Topology;

/// <summary>The shape and configuration of the Flink cluster; <c>FlinkProperties</c> renders it into <c>FLINK_PROPERTIES</c>.</summary>
public sealed partial record FlinkClusterSettings
{
    /// <summary>The largest number of TaskManagers accepted; each one is a container with its own worker pool.</summary>
    public const int MaxTaskManagers = 32;

    /// <summary>The largest number of slots per TaskManager accepted.</summary>
    public const int MaxSlotsPerTaskManager = 64;

    /// <summary>Host name the TaskManagers and clients reach the JobManager by.</summary>
    public string JobManagerHost { get; init; } = ResourceNames.JobManager;

    /// <summary>Number of TaskManagers.</summary>
    public int TaskManagers { get; init; } = 1;

    /// <summary>Slots each TaskManager offers.</summary>
    public int SlotsPerTaskManager { get; init; } = 2;

    /// <summary>Parallelism of jobs that do not set their own; at most <see cref="TotalSlots"/>.</summary>
    public int DefaultParallelism { get; init; } = 1;

    /// <summary>Where checkpoints go; a URI every JobManager and TaskManager reaches (a shared volume).</summary>
    public string CheckpointDirectory { get; init; } = $"file://{ContainerPaths.Checkpoints}/checkpoints";

    /// <summary>Where savepoints go; a URI every JobManager and TaskManager reaches (a shared volume).</summary>
    public string SavepointDirectory { get; init; } = $"file://{ContainerPaths.Checkpoints}/savepoints";

    /// <summary>Total memory of the JobManager process in Flink's memory syntax (the image's default).</summary>
    public string JobManagerMemory { get; init; } = "1600m";

    /// <summary>Total memory of each TaskManager process in Flink's memory syntax (the image's default); the Python workers beside it are not counted.</summary>
    public string TaskManagerMemory { get; init; } = "1728m";

    /// <summary>The versions; the Flink version decides which configuration keys are written.</summary>
    public VersionSet Versions { get; init; } = VersionSet.Default;

    /// <summary>Further Flink properties for every JobManager and TaskManager; keys the settings above own are refused.</summary>
    public IReadOnlyDictionary<string, string> AdditionalProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Slots of the whole cluster: <see cref="TaskManagers"/> × <see cref="SlotsPerTaskManager"/>.</summary>
    public int TotalSlots => TaskManagers * SlotsPerTaskManager;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (!HostAndPort.IsHostName(JobManagerHost))
        {
            throw new ArgumentException(
                $"FlinkClusterSettings.JobManagerHost '{JobManagerHost}' is not a host name (letters, digits, '-' and '.', e.g. {ResourceNames.JobManager}).");
        }

        if (TaskManagers is < 1 or > MaxTaskManagers)
        {
            throw new ArgumentException($"FlinkClusterSettings.TaskManagers must be between 1 and {MaxTaskManagers}; got {TaskManagers}.");
        }

        if (SlotsPerTaskManager is < 1 or > MaxSlotsPerTaskManager)
        {
            throw new ArgumentException(
                $"FlinkClusterSettings.SlotsPerTaskManager must be between 1 and {MaxSlotsPerTaskManager}; got {SlotsPerTaskManager}.");
        }

        if (DefaultParallelism < 1 || DefaultParallelism > TotalSlots)
        {
            throw new ArgumentException(
                $"FlinkClusterSettings.DefaultParallelism must be between 1 and the cluster's {TotalSlots} slots ({TaskManagers} TaskManager(s) × {SlotsPerTaskManager} slots); got {DefaultParallelism}.");
        }

        ValidateDirectory(nameof(CheckpointDirectory), CheckpointDirectory);
        ValidateDirectory(nameof(SavepointDirectory), SavepointDirectory);
        ValidateMemory(nameof(JobManagerMemory), JobManagerMemory);
        ValidateMemory(nameof(TaskManagerMemory), TaskManagerMemory);

        if (Versions is null)
        {
            throw new ArgumentException("FlinkClusterSettings.Versions is required.");
        }

        if (AdditionalProperties is null)
        {
            throw new ArgumentException("FlinkClusterSettings.AdditionalProperties cannot be null; use an empty dictionary.");
        }

        foreach (var (key, value) in AdditionalProperties)
        {
            if (OwnedKeys.TryGetValue(key, out var setting))
            {
                throw new ArgumentException(
                    $"FlinkClusterSettings.AdditionalProperties sets '{key}', which the cluster sets from {setting}; change that instead.");
            }

            FlinkPropertySyntax.ValidateKey(key);
            FlinkPropertySyntax.ValidateValue(key, value);
        }
    }

    private static readonly Dictionary<string, string> OwnedKeys = new(StringComparer.Ordinal)
    {
        [FlinkConfigKeys.JobManagerRpcAddress] = nameof(JobManagerHost),
        [FlinkConfigKeys.RestAddress] = nameof(JobManagerHost),
        [FlinkConfigKeys.JobManagerRpcPort] = "ClusterPorts.FlinkRpc",
        [FlinkConfigKeys.RestPort] = "ClusterPorts.FlinkRest",
        [FlinkConfigKeys.RestBindAddress] = "the cluster layout",
        [FlinkConfigKeys.BlobServerPort] = "ClusterPorts.FlinkBlob",
        [FlinkConfigKeys.TaskManagerSlots] = nameof(SlotsPerTaskManager),
        [FlinkConfigKeys.DefaultParallelism] = nameof(DefaultParallelism),
        [FlinkConfigKeys.JobManagerProcessSize] = nameof(JobManagerMemory),
        [FlinkConfigKeys.TaskManagerProcessSize] = nameof(TaskManagerMemory),
        [FlinkConfigKeys.LegacyCheckpointDirectory] = nameof(CheckpointDirectory),
        [FlinkConfigKeys.CheckpointingDirectory] = nameof(CheckpointDirectory),
        [FlinkConfigKeys.LegacySavepointDirectory] = nameof(SavepointDirectory),
        [FlinkConfigKeys.CheckpointingSavepointDirectory] = nameof(SavepointDirectory),
    };

    private static void ValidateDirectory(string setting, string value)
    {
        if (string.IsNullOrEmpty(value) || !UriWithScheme().IsMatch(value) || !Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            throw new ArgumentException(
                $"FlinkClusterSettings.{setting} '{value}' is not a URI with a scheme, e.g. file://{ContainerPaths.Checkpoints}/{setting.Replace("Directory", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}s.");
        }

        try
        {
            FlinkPropertySyntax.ValidateValue(setting, value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"FlinkClusterSettings.{setting} '{value}' cannot be passed to the Flink image: {e.Message}", e);
        }
    }

    private static void ValidateMemory(string setting, string value)
    {
        if (string.IsNullOrEmpty(value) || !MemorySize().IsMatch(value))
        {
            throw new ArgumentException(
                $"FlinkClusterSettings.{setting} '{value}' is not a Flink memory size such as 1728m or 2g (a number with an optional unit b, k, kb, m, mb, g, gb, t or tb, no spaces).");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]+://")]
    private static partial Regex UriWithScheme();

    [GeneratedRegex("^[1-9][0-9]{0,12}(b|k|kb|m|mb|g|gb|t|tb)?$", RegexOptions.IgnoreCase)]
    private static partial Regex MemorySize();
}
