using System.Globalization;

namespace Microsoft.Extensions.Configuration;

/// <summary>
/// Reads service endpoints in the format the Aspire orchestrator injects into a referencing resource:
/// <c>services:{service}:{endpoint}:{index}</c> (environment variable <c>services__{service}__{endpoint}__{index}</c>),
/// or a single value at <c>services:{service}:{endpoint}</c>.
/// </summary>
public static class ServiceEndpointConfiguration
{
    /// <summary>The configuration section holding every service.</summary>
    public const string SectionName = "services";

    /// <summary>
    /// All addresses configured for one endpoint of a service, ordered by index.
    /// </summary>
    /// <param name="configuration">The configuration to read.</param>
    /// <param name="serviceName">The resource name, for example <c>flink-jobmanager</c>.</param>
    /// <param name="endpointName">The endpoint name, for example <c>http</c>.</param>
    /// <returns>The addresses, for example <c>http://localhost:12345</c> or <c>tcp://localhost:50000</c>; empty when none is configured.</returns>
    /// <exception cref="FormatException">An index is not a number, or a value is not an absolute <c>scheme://host[:port]</c> address; the message names the key and the value.</exception>
    public static IReadOnlyList<Uri> GetServiceEndpoints(this IConfiguration configuration, string serviceName, string endpointName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CheckName(serviceName, nameof(serviceName));
        CheckName(endpointName, nameof(endpointName));

        var section = configuration.GetSection(SectionName).GetSection(serviceName).GetSection(endpointName);
        if (!section.Exists())
        {
            return [];
        }

        if (section.Value is not null)
        {
            return [ParseEndpoint(section.Path, section.Value)];
        }

        var endpoints = new List<(int Index, Uri Address)>();
        foreach (var child in section.GetChildren())
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new FormatException(
                    $"Configuration key '{child.Path}' (value '{child.Value}') is not a valid endpoint entry: "
                    + $"expected '{section.Path}:<index>' with index 0, 1, 2, ... "
                    + $"(environment variable {ToEnvironmentName(section.Path)}__0).");
            }

            endpoints.Add((index, ParseEndpoint(child.Path, child.Value)));
        }

        return endpoints.OrderBy(e => e.Index).Select(e => e.Address).ToArray();
    }

    /// <summary>
    /// The first address (lowest index) configured for one endpoint of a service.
    /// </summary>
    /// <param name="configuration">The configuration to read.</param>
    /// <param name="serviceName">The resource name, for example <c>flink-jobmanager</c>.</param>
    /// <param name="endpointName">The endpoint name, for example <c>http</c>.</param>
    /// <returns>The address, or null when none is configured.</returns>
    /// <exception cref="FormatException">An entry is malformed (see <see cref="GetServiceEndpoints"/>).</exception>
    public static Uri? GetServiceEndpoint(this IConfiguration configuration, string serviceName, string endpointName) =>
        configuration.GetServiceEndpoints(serviceName, endpointName) is [var first, ..] ? first : null;

    internal static string ToEnvironmentName(string configurationPath) => configurationPath.Replace(":", "__", StringComparison.Ordinal);

    private static Uri ParseEndpoint(string key, string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)
            || !text.Contains("://", StringComparison.Ordinal)
            || !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException(
                $"Configuration value '{value}' at '{key}' (environment variable {ToEnvironmentName(key)}) is not an endpoint address: "
                + "expected scheme://host[:port], for example http://localhost:8081 or tcp://localhost:50000.");
        }

        return uri;
    }

    private static void CheckName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid name: it must not contain ':'.", parameterName);
        }
    }
}
