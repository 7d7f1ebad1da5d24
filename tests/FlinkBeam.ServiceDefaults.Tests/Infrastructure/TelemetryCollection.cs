namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// Activity and meter listeners are process-wide: a tracer provider started by one test sees the HTTP calls of
/// every other test. Tests that assert on exported telemetry run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Exported telemetry";
}
