using System.Globalization;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Cluster.Configuration;

/// <summary>
/// The <c>FlinkBeam</c> configuration section, validated by Cluster before any resource is added: one version set
/// that every image and pin derives from, and the shape of the Flink cluster.
/// </summary>
/// <param name="Versions">The Beam, Flink and Python versions.</param>
/// <param name="Flink">TaskManagers, slots and the rest of the Flink configuration.</param>
/// <param name="Environment">Where the TaskManagers run the Python SDK harness.</param>
/// <param name="AutoRun">Pipelines the Submitter runs once, when the cluster is first ready.</param>
public sealed record FlinkBeamSettings(
    VersionSet Versions,
    FlinkClusterSettings Flink,
    SdkEnvironment Environment,
    IReadOnlyList<string> AutoRun)
{
    /// <summary>The configuration section, e.g. <c>FlinkBeam:BeamVersion</c> or <c>FlinkBeam__BeamVersion</c>.</summary>
    public const string SectionName = "FlinkBeam";

    /// <summary>
    /// How pipelines reach Flink: <see cref="RunnerMode.Portable"/> through a Beam job server (the default), or
    /// <see cref="RunnerMode.Flink"/>, Beam's FlinkRunner submitting an uber jar to Flink REST, with no job server.
    /// </summary>
    public RunnerMode Mode { get; init; } = RunnerMode.Portable;

    /// <summary>Reads and validates the section; absent values take Cluster's defaults.</summary>
    /// <exception cref="UnsupportedVersionException">The versions are malformed or not supported together (Cluster's message).</exception>
    /// <exception cref="ArgumentException">Another setting is invalid; the message names it, its value and what is allowed.</exception>
    public static FlinkBeamSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);

        var versions = VersionSet.Create(section["BeamVersion"], section["FlinkVersion"], section["PythonVersion"]);

        var defaults = new FlinkClusterSettings();
        var flink = defaults with
        {
            Versions = versions,
            TaskManagers = ReadCount(section, "TaskManagers", defaults.TaskManagers),
            SlotsPerTaskManager = ReadCount(section, "SlotsPerTaskManager", defaults.SlotsPerTaskManager),
        };
        flink.Validate();

        return new FlinkBeamSettings(versions, flink, ReadEnum(section, "Environment", SdkEnvironment.External), ReadAutoRun(section))
        {
            Mode = ReadEnum(section, "Mode", RunnerMode.Portable),
        };
    }

    private static int ReadCount(IConfigurationSection section, string key, int fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{SectionName}:{key} '{text}' is not a whole number such as {fallback}.");
    }

    private static T ReadEnum<T>(IConfigurationSection section, string key, T fallback)
        where T : struct, Enum
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return ConfigurationText.EnumName<T>(text)
            ?? throw new ArgumentException($"{SectionName}:{key} '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    private static List<string> ReadAutoRun(IConfigurationSection section)
    {
        // Blank entries mean "none", so one blank value can switch the default off from the command line.
        return ConfigurationText.List(section.GetSection("AutoRun")).Distinct(StringComparer.Ordinal).ToList();
    }
}
