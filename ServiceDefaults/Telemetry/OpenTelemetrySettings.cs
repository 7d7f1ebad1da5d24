using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace FlinkBeam.ServiceDefaults.Telemetry;

/// <summary>
/// The OTEL_* variables the Aspire orchestrator hands to every resource, read through
/// <see cref="IConfiguration"/> and validated once, when the service defaults are added.
/// </summary>
internal sealed class OpenTelemetrySettings
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string HeadersKey = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";
    public const string ResourceAttributesKey = "OTEL_RESOURCE_ATTRIBUTES";

    private const string GrpcProtocol = "grpc";
    private const string HttpProtobufProtocol = "http/protobuf";

    private OpenTelemetrySettings(
        string? serviceName,
        IReadOnlyList<KeyValuePair<string, string>> resourceAttributes,
        OtlpSignalSettings? traces,
        OtlpSignalSettings? metrics,
        OtlpSignalSettings? logs)
    {
        ServiceName = serviceName;
        ResourceAttributes = resourceAttributes;
        Traces = traces;
        Metrics = metrics;
        Logs = logs;
    }

    /// <summary>True when OTEL_EXPORTER_OTLP_ENDPOINT is set: the three signals are exported.</summary>
    public bool Export => Traces is not null;

    public string? ServiceName { get; }

    public IReadOnlyList<KeyValuePair<string, string>> ResourceAttributes { get; }

    public OtlpSignalSettings? Traces { get; }

    public OtlpSignalSettings? Metrics { get; }

    public OtlpSignalSettings? Logs { get; }

    /// <exception cref="FormatException">A value is malformed; the message names the variable, the value and the accepted forms.</exception>
    public static OpenTelemetrySettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var endpoint = ParseEndpoint(EndpointKey, configuration[EndpointKey]);
        var protocol = ParseProtocol(ProtocolKey, configuration[ProtocolKey]);
        var headers = ParseHeaders(HeadersKey, configuration[HeadersKey]);

        var serviceName = configuration[ServiceNameKey];
        serviceName = string.IsNullOrWhiteSpace(serviceName) ? null : serviceName.Trim();
        var attributes = OtelKeyValueList.Parse(ResourceAttributesKey, configuration[ResourceAttributesKey]);

        if (endpoint is null)
        {
            return new OpenTelemetrySettings(serviceName, attributes, null, null, null);
        }

        return new OpenTelemetrySettings(
            serviceName,
            attributes,
            ForSignal(configuration, "TRACES", endpoint, protocol, headers),
            ForSignal(configuration, "METRICS", endpoint, protocol, headers),
            ForSignal(configuration, "LOGS", endpoint, protocol, headers));
    }

    /// <summary>
    /// One signal's exporter settings with the specification's precedence: <c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>
    /// (used as given), <c>_PROTOCOL</c> and <c>_HEADERS</c> win over the general variables. From the general
    /// endpoint, OTLP/HTTP sends each signal to its own path below it (<c>v1/traces</c>, ...); gRPC uses it as it is.
    /// </summary>
    private static OtlpSignalSettings ForSignal(
        IConfiguration configuration, string signal, Uri endpoint, OtlpExportProtocol protocol, string? headers)
    {
        var prefix = $"OTEL_EXPORTER_OTLP_{signal}_";
        if (!string.IsNullOrWhiteSpace(configuration[prefix + "PROTOCOL"]))
        {
            protocol = ParseProtocol(prefix + "PROTOCOL", configuration[prefix + "PROTOCOL"]);
        }

        headers = ParseHeaders(prefix + "HEADERS", configuration[prefix + "HEADERS"]) ?? headers;

        var signalEndpoint = ParseEndpoint(prefix + "ENDPOINT", configuration[prefix + "ENDPOINT"])
            ?? (protocol == OtlpExportProtocol.Grpc
                ? endpoint
                : new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/v1/{signal.ToLowerInvariant()}", UriKind.Absolute));

        return new OtlpSignalSettings(signalEndpoint, protocol, headers);
    }

    private static Uri? ParseEndpoint(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException(
                $"{key} '{value}' is not an absolute http:// or https:// address (for example http://localhost:4317).");
        }

        return uri;
    }

    private static OtlpExportProtocol ParseProtocol(string key, string? value)
    {
        // The .NET exporter defaults to gRPC when the variable is absent; keep that behaviour.
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || string.Equals(text, GrpcProtocol, StringComparison.OrdinalIgnoreCase))
        {
            return OtlpExportProtocol.Grpc;
        }

        if (string.Equals(text, HttpProtobufProtocol, StringComparison.OrdinalIgnoreCase))
        {
            return OtlpExportProtocol.HttpProtobuf;
        }

        throw new FormatException($"{key} '{value}' is not supported; use '{GrpcProtocol}' or '{HttpProtobufProtocol}'.");
    }

    /// <summary>Validates the list and keeps its raw text: the exporter parses the same format itself.</summary>
    private static string? ParseHeaders(string key, string? value)
    {
        OtelKeyValueList.Parse(key, value);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
