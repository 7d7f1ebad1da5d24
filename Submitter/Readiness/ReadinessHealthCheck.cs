using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// <c>/health</c>: Healthy only while the readiness gate holds. It asks about the cluster's parts, not its free capacity
/// (parallelism 0), so a cluster busy with runs stays healthy. The answer is reused for <see cref="CacheDuration"/>
/// so that frequent health probes do not hammer Flink, the job server and the worker pools.
/// </summary>
public sealed class ReadinessHealthCheck(IReadinessGate gate, TimeProvider? time = null) : IHealthCheck
{
    public const string Name = "cluster-ready";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _last;

    public TimeSpan CacheDuration { get; init; } = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await GetReportAsync(cancellationToken).ConfigureAwait(false);
        var data = report.Conditions.ToDictionary(c => c.Name, object (c) => c.Ok ? c.Observed : $"expected {c.Expected}, saw {c.Observed}");
        return report.IsReady
            ? HealthCheckResult.Healthy($"All {report.Conditions.Count} readiness conditions hold.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, report.Describe(), data: data);
    }

    private async Task<ReadinessReport> GetReportAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }

            var report = await gate.CheckAsync(0, cancellationToken).ConfigureAwait(false);
            _last = new Snapshot(report, _time.GetTimestamp());
            return report;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private ReadinessReport? Fresh() =>
        _last is { } last && _time.GetElapsedTime(last.At) < CacheDuration ? last.Report : null;

    private sealed record Snapshot(ReadinessReport Report, long At);
}
