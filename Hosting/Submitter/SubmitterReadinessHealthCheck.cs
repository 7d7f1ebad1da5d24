using System.Net;
using System.Text.Json;
using FlinkBeam.Cluster.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting;

/// <summary>
/// The Submitter's health as the dashboard shows it: its <c>GET /health</c>, which is healthy only while the readiness
/// gate holds. When it is not, the description carries what the Submitter's health JSON says about each failing
/// check (each gate condition with what was expected and seen), so the dashboard names what the Submitter waits for.
/// </summary>
/// <param name="submitter">Resolves the Submitter's HTTP endpoint; called on every check because the port is allocated at start.</param>
internal sealed class SubmitterReadinessHealthCheck(Func<CancellationToken, Task<Uri>> submitter)
    : EndpointHealthCheck(submitter, "Submitter API")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly SocketsHttpHandler _handler = new() { ConnectTimeout = TimeSpan.FromSeconds(3) };

    /// <inheritdoc />
    protected override async Task<HealthCheckResult> CheckAsync(Uri address, HealthStatus failureStatus, CancellationToken cancellationToken)
    {
        var health = new Uri(address, SubmitterPaths.Health);
        try
        {
            using var http = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout };
            using var response = await http.GetAsync(health, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return HealthCheckResult.Healthy("The readiness gate holds.");
            }

            var failing = FailingChecks(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return new HealthCheckResult(
                failureStatus,
                failing.Length > 0
                    ? $"Waiting for the cluster: {failing}"
                    : $"GET {health.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failureStatus, $"The Submitter does not answer GET /health: {e.Message}", e);
        }
    }

    /// <summary>The descriptions of the checks that do not pass, one per line; empty when the body is not the health JSON.</summary>
    internal static string FailingChecks(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty(HealthJsonNames.Checks, out var checks) || checks.ValueKind != JsonValueKind.Object)
            {
                return string.Empty;
            }

            var lines = checks.EnumerateObject()
                .Where(c => c.Value.TryGetProperty(HealthJsonNames.Status, out var status) && status.GetString() != nameof(HealthStatus.Healthy))
                .Select(c => c.Value.TryGetProperty(HealthJsonNames.Description, out var description) ? description.GetString() : $"{c.Name} fails")
                .Where(line => !string.IsNullOrWhiteSpace(line));
            return string.Join(Environment.NewLine, lines);
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
