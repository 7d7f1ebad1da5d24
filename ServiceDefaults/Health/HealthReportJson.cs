using System.Text.Json;
using FlinkBeam.Cluster.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as JSON: the overall status and, per check, its status and description, so a failing
/// <c>/health</c> says which condition fails and what was seen rather than a bare "Unhealthy".
/// </summary>
public static class HealthReportJson
{
    /// <summary>The response writer for <c>HealthCheckOptions.ResponseWriter</c>.</summary>
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter.AsStream());
        json.WriteStartObject();
        json.WriteString(HealthJsonNames.Status, report.Status.ToString());
        json.WriteNumber(HealthJsonNames.DurationMs, Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject(HealthJsonNames.Checks);
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString(HealthJsonNames.Status, entry.Status.ToString());
            if (entry.Description is { } description)
            {
                json.WriteString(HealthJsonNames.Description, description);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
