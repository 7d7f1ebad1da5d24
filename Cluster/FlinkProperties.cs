using System.Globalization;

namespace FlinkBeam.Cluster;

/// <summary>
/// The <c>FLINK_PROPERTIES</c> environment value of the official Flink image: <c>key: value</c> lines. The image's
/// entrypoint deletes every whitespace character of a line, splits it at the first <c>':'</c>, runs the value through
/// <c>envsubst</c> and, in some releases, through <c>eval</c>; older releases append the lines to a YAML file where
/// <c>'#'</c> starts a comment. So keys and values are restricted to characters that survive all of that unchanged.
/// </summary>
public sealed class FlinkProperties
{
    /// <summary>The punctuation allowed in values besides ASCII letters and digits.</summary>
    public const string ValuePunctuation = "._-/:,=@+%~";

    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>The properties in the order they were first set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries.AsReadOnly();

    /// <summary>The value of <paramref name="key"/>, or <see langword="null"/> when it is not set.</summary>
    public string? this[string key] => _entries.FindIndex(e => e.Key == key) is var i and >= 0 ? _entries[i].Value : null;

    /// <summary>Sets a property; setting a key again replaces its value and keeps its position.</summary>
    /// <exception cref="ArgumentException">The key or the value would be mangled by the image's entrypoint.</exception>
    public FlinkProperties Set(string key, string value)
    {
        ValidateKey(key);
        ValidateValue(key, value);
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

    /// <summary>Checks a key without setting it.</summary>
    /// <exception cref="ArgumentException">The key is empty, does not start with a letter, or has a character other than ASCII letters, digits, <c>'.'</c>, <c>'-'</c> and <c>'_'</c>.</exception>
    public static void ValidateKey(string key)
    {
        const string Rule = "keys are ASCII letters, digits, '.', '-' and '_', starting with a letter";
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"A Flink property key cannot be empty; {Rule}.", nameof(key));
        }

        foreach (var c in key)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException(
                    $"Flink property key '{Escape(key)}' contains whitespace or a line break, which FLINK_PROPERTIES cannot carry; {Rule}.", nameof(key));
            }

            if (c == ':')
            {
                throw new ArgumentException(
                    $"Flink property key '{Escape(key)}' contains ':', which separates key from value in FLINK_PROPERTIES; {Rule}.", nameof(key));
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                throw new ArgumentException($"Flink property key '{Escape(key)}' contains '{Escape(c.ToString())}'; {Rule}.", nameof(key));
            }
        }

        if (!char.IsAsciiLetter(key[0]))
        {
            throw new ArgumentException($"Flink property key '{key}' does not start with a letter; {Rule}.", nameof(key));
        }
    }

    /// <summary>Checks a value without setting it.</summary>
    /// <exception cref="ArgumentException">The value is empty, contains whitespace, or a character the image's entrypoint would interpret.</exception>
    public static void ValidateValue(string key, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"Flink property '{Escape(key)}' has an empty value.", nameof(value));
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException(
                    $"Flink property '{Escape(key)}' value '{Escape(value)}' contains whitespace or a line break, which the Flink image's entrypoint strips or splits on.",
                    nameof(value));
            }

            if (!(char.IsAsciiLetterOrDigit(c) || ValuePunctuation.Contains(c)))
            {
                throw new ArgumentException(
                    $"Flink property '{Escape(key)}' value '{Escape(value)}' contains '{Escape(c.ToString())}', which the Flink image's entrypoint would interpret; values may use ASCII letters, digits and {string.Join(' ', ValuePunctuation.ToCharArray())}.",
                    nameof(value));
            }
        }
    }

    private FlinkProperties AddAll(IReadOnlyDictionary<string, string> additional)
    {
        foreach (var (key, value) in additional.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Set(key, value);
        }

        return this;
    }

    private static string Escape(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal);
}
