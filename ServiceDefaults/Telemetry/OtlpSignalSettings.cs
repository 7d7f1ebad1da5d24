using OpenTelemetry.Exporter;

namespace FlinkBeam.ServiceDefaults.Telemetry;

/// <summary>Where and how one signal (traces, metrics or logs) is exported.</summary>
internal sealed record OtlpSignalSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers);
