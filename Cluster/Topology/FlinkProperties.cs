using System.Globalization;

namespace FlinkBeam.Cluster.Topology;

/// <summary>
/// The <c>FLINK_PROPERTIES</c> environment value of the official Flink image: <c>key: value</c> lines, each key and value
/// restricted by <see cref="FlinkPropertySyntax"/> to what the image's entrypoint passes on unchanged.
/// </summary>
public sealed class FlinkProperties
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>The properties in the order they were first set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries.AsReadOnly();

    /// <summary>The value of <paramref name="key"/>, or <see langword="null"/> when it is not set.</summary>
    public string? this[string key] => _entries.FindIndex(e => e.Key == key) is var i and >= 0 ? _entries[i].Value : null;

    /// <summary>Sets a property; setting a key again replaces its value and keeps its position.</summary>
    /// <exception cref="ArgumentException">The key or the value would be mangled by the image's entrypoint.</exception>
    public FlinkProperties Set(string key, string value)
    {
        FlinkPropertySyntax.ValidateKey(key);
        FlinkPropertySyntax.ValidateValue(key, value);
        var index = _entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            _entries[index] = new(key, value);
        }
        else
        {
            _entries.Add(new(key, value));
        }

        return this;
    }

    /// <summary>Sets an integer property.</summary>
    public FlinkProperties Set(string key, int value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The <c>FLINK_PROPERTIES</c> value: one <c>key: value</c> line per entry, joined with <c>\n</c>.</summary>
    public string Render() => string.Join('\n', _entries.Select(e => $"{e.Key}: {e.Value}"));

    /// <summary>The JobManager's properties: RPC, REST and blob endpoints, memory, default parallelism, checkpoint and savepoint directories, then the additional properties.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public static FlinkProperties ForJobManager(FlinkClusterSettings settings) => ForRole(settings, properties => properties
        .Set(FlinkConfigKeys.RestAddress, settings.JobManagerHost)
        .Set(FlinkConfigKeys.RestPort, ClusterPorts.FlinkRest)
        .Set(FlinkConfigKeys.RestBindAddress, "0.0.0.0")
        .Set(FlinkConfigKeys.BlobServerPort, ClusterPorts.FlinkBlob)
        .Set(FlinkConfigKeys.JobManagerProcessSize, settings.JobManagerMemory));

    /// <summary>A TaskManager's properties: the JobManager's RPC address, slots, memory, default parallelism, checkpoint and savepoint directories, then the additional properties.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public static FlinkProperties ForTaskManager(FlinkClusterSettings settings) => ForRole(settings, properties => properties
        .Set(FlinkConfigKeys.TaskManagerSlots, settings.SlotsPerTaskManager)
        .Set(FlinkConfigKeys.TaskManagerProcessSize, settings.TaskManagerMemory));

    // Both roles: the JobManager's RPC address first, the role's own keys, then what every process must agree on.
    private static FlinkProperties ForRole(FlinkClusterSettings settings, Func<FlinkProperties, FlinkProperties> role)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var flink = settings.Versions.Flink;
        var properties = new FlinkProperties()
            .Set(FlinkConfigKeys.JobManagerRpcAddress, settings.JobManagerHost)
            .Set(FlinkConfigKeys.JobManagerRpcPort, ClusterPorts.FlinkRpc);
        return role(properties)
            .Set(FlinkConfigKeys.DefaultParallelism, settings.DefaultParallelism)
            .Set(FlinkConfigKeys.CheckpointDirectory(flink), settings.CheckpointDirectory)
            .Set(FlinkConfigKeys.SavepointDirectory(flink), settings.SavepointDirectory)
            .AddAll(settings.AdditionalProperties);
    }

    private FlinkProperties AddAll(IReadOnlyDictionary<string, string> additional)
    {
        foreach (var (key, value) in additional.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Set(key, value);
        }

        return this;
    }
}
