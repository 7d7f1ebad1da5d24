namespace FlinkBeam.Cluster.Health;

/// <summary>
/// The property names of a service's health JSON (<c>GET /health</c>, <c>GET /alive</c>): what the service writes and
/// what a caller that explains an unhealthy answer reads.
/// </summary>
/// <example><c>{"status":"Unhealthy","durationMs":3.1,"checks":{"cluster":{"status":"Unhealthy","description":"..."}}}</c></example>
public static class HealthJsonNames
{
    /// <summary>The overall status, and each check's: <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</summary>
    public const string Status = "status";

    /// <summary>How long the report took, in milliseconds.</summary>
    public const string DurationMs = "durationMs";

    /// <summary>The checks by name, each an object with a status and, when there is one, a description.</summary>
    public const string Checks = "checks";

    /// <summary>A check's description: what it expected and what it saw.</summary>
    public const string Description = "description";
}
