using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Configuration;

/// <summary>
/// The one set of rules for <see cref="SubmitterOptions"/>, used by service mode (options validation at start)
/// and by the command line (before anything runs). Each message names the setting, its flag and the bad value.
/// </summary>
public sealed class SubmitterOptionsValidator : IValidateOptions<SubmitterOptions>
{
    /// <summary>The shortest API key accepted: a key anyone on the network may guess at must not be guessable.</summary>
    public const int MinApiKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, SubmitterOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem found, empty when the options are usable.</summary>
    public static IReadOnlyList<string> Check(SubmitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.ConfigurationProblems);

        try
        {
            VersionSet.Create(options.BeamVersion, options.FlinkVersion, options.PythonVersion);
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Mode (--mode / Submitter:Mode) '{options.Mode}' is not one of: {string.Join(", ", Enum.GetNames<RunnerMode>())}.");
        }

        if (!Enum.IsDefined(options.Environment))
        {
            errors.Add($"Environment (Submitter:Environment) '{options.Environment}' is not one of: {string.Join(", ", Enum.GetNames<SdkEnvironment>())}.");
        }

        RequireText(errors, options.CatalogPath, "Catalog path (--catalog / Submitter:CatalogPath)");
        RequireText(errors, options.DataDirectory, "Data directory (--data-dir / Submitter:DataDirectory)");
        RequireText(errors, options.PythonPath, "Python interpreter (--python / Submitter:PythonPath)");

        if (string.IsNullOrWhiteSpace(options.FlinkRestUrl))
        {
            errors.Add("Flink REST URL (--flink / Submitter:FlinkRestUrl) is not set, and configuration has no "
                + $"{ServiceAddresses.EnvironmentVariable(ResourceNames.JobManager, EndpointNames.FlinkRest)} entry; give it as e.g. http://localhost:{ClusterPorts.FlinkRest}.");
        }
        else if (!Uri.TryCreate(options.FlinkRestUrl, UriKind.Absolute, out var flink) || (flink.Scheme != Uri.UriSchemeHttp && flink.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Flink REST URL (--flink / Submitter:FlinkRestUrl) '{options.FlinkRestUrl}' is not an absolute http:// or https:// URL, e.g. http://localhost:{ClusterPorts.FlinkRest}.");
        }

        if (string.IsNullOrWhiteSpace(options.JobEndpoint))
        {
            if (options.Mode == RunnerMode.Portable)
            {
                errors.Add("Job endpoint (--job-endpoint / Submitter:JobEndpoint) is required in Portable mode, and configuration has no "
                    + $"{ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.JobService)} entry; give it as host:port, e.g. localhost:{ClusterPorts.JobService}.");
            }
        }
        else
        {
            RequireAddress(errors, options.JobEndpoint, "Job endpoint (--job-endpoint / Submitter:JobEndpoint)");
        }

        if (!string.IsNullOrWhiteSpace(options.ArtifactEndpoint))
        {
            RequireAddress(errors, options.ArtifactEndpoint, "Artifact endpoint (--artifact-endpoint / Submitter:ArtifactEndpoint)");
        }

        foreach (var pool in options.WorkerPools)
        {
            RequireAddress(errors, pool, "Worker pool (--worker-pool / Submitter:WorkerPools)");
        }

        if (options.TaskManagers < 1)
        {
            errors.Add($"TaskManagers (--taskmanagers / Submitter:TaskManagers) must be at least 1; got {options.TaskManagers}.");
        }

        RequirePositive(errors, options.ReadyTimeout, "Ready timeout (--ready-timeout / Submitter:ReadyTimeout)");
        RequirePositive(errors, options.JobTimeout, "Job timeout (--job-timeout / Submitter:JobTimeout)");
        RequirePositive(errors, options.ConditionTimeout, "Condition timeout (Submitter:ConditionTimeout)");
        RequirePositive(errors, options.PythonCheckTimeout, "Python check timeout (Submitter:PythonCheckTimeout)");
        RequirePositive(errors, options.MetricsInterval, $"Metrics interval ({SubmitterSettingNames.SectionName}:{SubmitterSettingNames.MetricsInterval})");
        if (options.Grace < TimeSpan.Zero)
        {
            errors.Add($"Grace (--grace / Submitter:Grace) must not be negative; got {options.Grace.TotalSeconds} s.");
        }

        if (options.RetryBackoff < TimeSpan.Zero)
        {
            errors.Add($"Retry backoff (Submitter:RetryBackoff) must not be negative; got {options.RetryBackoff.TotalSeconds} s.");
        }

        if (options.Retries < 0)
        {
            errors.Add($"Retries (--retries / Submitter:Retries) must not be negative; got {options.Retries}.");
        }

        if (options.MaxRequestBodyBytes < 1)
        {
            errors.Add($"Max request body (Submitter:MaxRequestBodyBytes) must be at least 1 byte; got {options.MaxRequestBodyBytes}.");
        }

        if (options.AutoRun.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("AutoRun (Submitter:AutoRun) contains an empty pipeline name.");
        }

        // The key itself is never part of a message.
        if (options.ApiKey is { } key
            && (key.Length < MinApiKeyLength || key.Any(char.IsControl) || char.IsWhiteSpace(key[0]) || char.IsWhiteSpace(key[^1])))
        {
            errors.Add($"API key (Submitter:ApiKey) must be at least {MinApiKeyLength} characters, with no control characters and no blank at either end; "
                + $"the one set has {key.Length} characters.");
        }

        foreach (var host in options.AllowedHosts.Where(h => !IsHostPattern(h)))
        {
            errors.Add($"Allowed host (Submitter:AllowedHosts) '{host}' is not a host name; give a name or address such as submitter.example.com, "
                + "*.example.com or 10.0.0.5, without scheme or port (* allows every host).");
        }

        return errors;
    }

    private static bool IsHostPattern(string host)
    {
        if (host == "*")
        {
            return true;
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return Uri.CheckHostName(name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name) != UriHostNameType.Unknown;
    }

    private static void RequireText(List<string> errors, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{what} must not be empty.");
        }
    }

    private static void RequireAddress(List<string> errors, string? value, string what)
    {
        if (!HostAndPort.TryParse(value, out _))
        {
            errors.Add($"{what} '{value}' is not a host:port address, e.g. localhost:{ClusterPorts.JobService}.");
        }
    }

    private static void RequirePositive(List<string> errors, TimeSpan value, string what)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{what} must be positive; got {value.TotalSeconds} s.");
        }
    }
}
