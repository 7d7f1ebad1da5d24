namespace FlinkBeam.Cluster.Checks;

/// <summary>The outcome of an endpoint probe.</summary>
/// <param name="Ok">True when the endpoint answered as expected.</param>
/// <param name="Detail">What happened, e.g. "HTTP/2 server answered", "connection refused", "closed before SETTINGS", "timed out after 2s".</param>
public sealed record CheckResult(bool Ok, string Detail);
