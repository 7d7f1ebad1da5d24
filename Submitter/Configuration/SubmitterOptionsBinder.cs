using System.Globalization;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>
/// Reads the <c>Submitter</c> configuration section into <see cref="SubmitterOptions"/>. Unlike the general binder it
/// does not stop at the first bad value: every value that cannot be read, and every key that is not a setting (a typo),
/// becomes one problem naming the key, the value and the expected form, which <see cref="SubmitterOptionsValidator"/>
/// reports with the others.
/// </summary>
public static class SubmitterOptionsBinder
{
    private static readonly Dictionary<string, Action<SubmitterOptions, IConfigurationSection, List<string>>> Settings =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [SubmitterSettingNames.Mode] = (o, s, e) => Enum<RunnerMode>(s, e, v => o.Mode = v),
            [SubmitterSettingNames.CatalogPath] = (o, s, _) => o.CatalogPath = s.Value ?? o.CatalogPath,
            [SubmitterSettingNames.DataDirectory] = (o, s, _) => o.DataDirectory = s.Value ?? o.DataDirectory,
            [SubmitterSettingNames.PythonPath] = (o, s, _) => o.PythonPath = s.Value ?? o.PythonPath,
            [SubmitterSettingNames.FlinkRestUrl] = (o, s, _) => o.FlinkRestUrl = s.Value,
            [SubmitterSettingNames.JobEndpoint] = (o, s, _) => o.JobEndpoint = s.Value,
            [SubmitterSettingNames.ArtifactEndpoint] = (o, s, _) => o.ArtifactEndpoint = s.Value,
            [SubmitterSettingNames.FlinkJobServerJar] = (o, s, _) => o.FlinkJobServerJar = s.Value,
            [SubmitterSettingNames.WorkerPools] = (o, s, _) => o.WorkerPools = ConfigurationText.List(s),
            [SubmitterSettingNames.TaskManagers] = (o, s, e) => Integer(s, e, v => o.TaskManagers = v),
            [SubmitterSettingNames.BeamVersion] = (o, s, _) => o.BeamVersion = s.Value ?? o.BeamVersion,
            [SubmitterSettingNames.FlinkVersion] = (o, s, _) => o.FlinkVersion = s.Value ?? o.FlinkVersion,
            [SubmitterSettingNames.PythonVersion] = (o, s, _) => o.PythonVersion = s.Value ?? o.PythonVersion,
            [SubmitterSettingNames.Environment] = (o, s, e) => Enum<SdkEnvironment>(s, e, v => o.Environment = v),
            [SubmitterSettingNames.EnvironmentConfig] = (o, s, _) => o.EnvironmentConfig = s.Value,
            [SubmitterSettingNames.ReadyTimeout] = (o, s, e) => Duration(s, e, v => o.ReadyTimeout = v),
            [SubmitterSettingNames.ConditionTimeout] = (o, s, e) => Duration(s, e, v => o.ConditionTimeout = v),
            [SubmitterSettingNames.PythonCheckTimeout] = (o, s, e) => Duration(s, e, v => o.PythonCheckTimeout = v),
            [SubmitterSettingNames.Grace] = (o, s, e) => Duration(s, e, v => o.Grace = v),
            [SubmitterSettingNames.JobTimeout] = (o, s, e) => Duration(s, e, v => o.JobTimeout = v),
            [SubmitterSettingNames.Retries] = (o, s, e) => Integer(s, e, v => o.Retries = v),
            [SubmitterSettingNames.RetryBackoff] = (o, s, e) => Duration(s, e, v => o.RetryBackoff = v),
            [SubmitterSettingNames.CancelOnShutdown] = (o, s, e) => Boolean(s, e, v => o.CancelOnShutdown = v),
            [SubmitterSettingNames.AutoRun] = (o, s, _) => o.AutoRun = ConfigurationText.List(s),
            [SubmitterSettingNames.MaxRequestBodyBytes] = (o, s, e) => Integer(s, e, v => o.MaxRequestBodyBytes = v),
            [SubmitterSettingNames.ApiKey] = (o, s, _) => o.ApiKey = string.IsNullOrEmpty(s.Value) ? null : s.Value,
            [SubmitterSettingNames.AllowAnonymous] = (o, s, e) => Boolean(s, e, v => o.AllowAnonymous = v),
            [SubmitterSettingNames.AllowedHosts] = (o, s, _) => o.AllowedHosts = ConfigurationText.List(s),
            [SubmitterSettingNames.MetricsInterval] = (o, s, e) => Duration(s, e, v => o.MetricsInterval = v),
        };

    /// <summary>The names of the settings, as the configuration spells them.</summary>
    public static IEnumerable<string> Names => Settings.Keys;

    /// <summary>Reads <paramref name="section"/> into <paramref name="options"/>; problems go to <see cref="SubmitterOptions.ConfigurationProblems"/>.</summary>
    public static void Bind(IConfigurationSection section, SubmitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var child in section.GetChildren())
        {
            if (Settings.TryGetValue(child.Key, out var read))
            {
                read(options, child, options.ConfigurationProblems);
            }
            else
            {
                options.ConfigurationProblems.Add(
                    $"{child.Path} is not a setting of the Submitter; the settings are: {string.Join(", ", Settings.Keys)}.");
            }
        }
    }

    private static void Integer(IConfigurationSection section, List<string> problems, Action<int> set)
    {
        if (section.Value is { } text && int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
        }
        else
        {
            problems.Add($"{section.Path} '{section.Value}' is not a whole number.");
        }
    }

    private static void Boolean(IConfigurationSection section, List<string> problems, Action<bool> set)
    {
        if (section.Value is { } text && bool.TryParse(text.Trim(), out var value))
        {
            set(value);
        }
        else
        {
            problems.Add($"{section.Path} '{section.Value}' is not true or false.");
        }
    }

    private static void Duration(IConfigurationSection section, List<string> problems, Action<TimeSpan> set)
    {
        var text = section.Value?.Trim();
        if (text is { Length: > 0 } && text.All(char.IsAsciiDigit))
        {
            // TimeSpan would read "30" as 30 days.
            var example = text.Length <= 9 ? TimeSpan.FromSeconds(long.Parse(text, CultureInfo.InvariantCulture)).ToString("c", CultureInfo.InvariantCulture) : "00:00:30";
            problems.Add($"{section.Path} '{text}' has no unit; write a duration as hh:mm:ss, e.g. {example} for {(text.Length <= 9 ? text : "30")} seconds.");
        }
        else if (text is not null && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
        }
        else
        {
            problems.Add($"{section.Path} '{section.Value}' is not a duration; write it as hh:mm:ss, e.g. 00:00:30.");
        }
    }

    private static void Enum<T>(IConfigurationSection section, List<string> problems, Action<T> set)
        where T : struct, System.Enum
    {
        if (ConfigurationText.EnumName<T>(section.Value) is { } value)
        {
            set(value);
        }
        else
        {
            problems.Add($"{section.Path} '{section.Value}' is not one of: {string.Join(", ", System.Enum.GetNames<T>())}.");
        }
    }
}
