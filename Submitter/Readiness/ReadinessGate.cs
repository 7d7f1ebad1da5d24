using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Measures, for real, whether the cluster can take a run: Flink's TaskManagers and free slots, the job server
/// (Portable mode), each worker pool (External environment) and the Python environment. Network checks run
/// concurrently, each bounded by <see cref="SubmitterOptions.ConditionTimeout"/>; runs waiting at the same time share
/// the requests in flight (<see cref="SharedProbe"/>).
/// </summary>
public sealed class ReadinessGate : IReadinessGate, IDisposable
{
    private readonly ILogger<ReadinessGate> _logger;
    private readonly TimeProvider _time;
    private readonly ReadinessPolling _polling;
    private readonly List<IReadinessProbe> _probes = [];
    private readonly List<IDisposable> _owned = [];

    /// <summary>A gate with its own Flink REST and Job API clients, built from the options' explicit addresses.</summary>
    public ReadinessGate(
        IOptions<SubmitterOptions> options,
        PythonEnvironmentCheck python,
        ILogger<ReadinessGate> logger,
        TimeProvider? time = null,
        ReadinessPolling? polling = null)
        : this(options, python, logger, time, polling, ClusterClientsServiceCollectionExtensions.BuildStandalone(options.Value))
    {
    }

    /// <summary>A gate over the container's Flink REST and Job API clients.</summary>
    public ReadinessGate(
        IOptions<SubmitterOptions> options,
        PythonEnvironmentCheck python,
        ILogger<ReadinessGate> logger,
        TimeProvider? time,
        ReadinessPolling? polling,
        FlinkRestClient flink,
        BeamJobServiceClient? jobService)
    {
        var settings = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _polling = polling ?? new ReadinessPolling();

        var restUrl = new Uri(EnsureTrailingSlash(settings.FlinkRestUrl
            ?? throw new ArgumentException("The Flink REST URL is not set.", nameof(options))));
        // Runs waiting at the same time share each network probe's requests in flight.
        _probes.Add(new SharedProbe(new FlinkClusterProbe(flink, restUrl, settings.TaskManagers, settings.ConditionTimeout)));

        if (settings.Mode == RunnerMode.Portable)
        {
            var endpoint = settings.JobEndpoint
                ?? throw new ArgumentException("The job endpoint is required in Portable mode.", nameof(options));
            var client = jobService ?? throw new ArgumentException("The Job API client is required in Portable mode.", nameof(jobService));
            _probes.Add(new SharedProbe(new JobServerProbe(client, endpoint, settings.ConditionTimeout)));
        }

        if (settings.Environment == SdkEnvironment.External)
        {
            foreach (var pool in settings.WorkerPools.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!HostAndPort.TryParse(pool, out var address))
                {
                    throw new ArgumentException($"Worker pool '{pool}' is not a host:port address.", nameof(options));
                }

                _probes.Add(new SharedProbe(new WorkerPoolProbe(address, settings.ConditionTimeout)));
            }
        }

        _probes.Add(new PythonProbe(python));
    }

    private ReadinessGate(
        IOptions<SubmitterOptions> options,
        PythonEnvironmentCheck python,
        ILogger<ReadinessGate> logger,
        TimeProvider? time,
        ReadinessPolling? polling,
        ServiceProvider clients)
        : this(options, python, logger, time, polling, clients.GetRequiredService<FlinkRestClient>(),
            ClusterClientsServiceCollectionExtensions.JobServiceOrNull(clients))
    {
        _owned.Add(clients);
    }

    public async Task<ReadinessReport> CheckAsync(int parallelism, CancellationToken cancellationToken = default)
    {
        var results = await Task.WhenAll(_probes.Select(p => p.CheckAsync(parallelism, cancellationToken))).ConfigureAwait(false);
        return new ReadinessReport(results.SelectMany(r => r).ToArray());
    }

    public async Task<ReadinessReport> WaitUntilReadyAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        // The latest answer of each probe; probes whose conditions all hold are not asked again until a confirmation pass.
        var latest = new IReadOnlyList<ReadinessCondition>?[_probes.Count];
        var toCheck = Enumerable.Range(0, _probes.Count).ToList();
        var interval = _polling.Initial;
        var lastChange = started;
        var lastLog = started;
        string? lastSignature = null;

        while (true)
        {
            try
            {
                // Each answer is kept as it arrives, so a timeout in the middle of a pass still reports what was seen.
                await Task.WhenAll(toCheck.Select(async i => latest[i] = await _probes[i].CheckAsync(parallelism, deadline.Token).ConfigureAwait(false)))
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return TimedOut(latest, parallelism, timeout);
            }

            var report = new ReadinessReport(latest.SelectMany(r => r ?? []).ToArray());
            var failing = Enumerable.Range(0, _probes.Count).Where(i => latest[i]!.Any(c => !c.Ok)).ToList();
            if (failing.Count == 0)
            {
                if (toCheck.Count == _probes.Count)
                {
                    _logger.LogInformation("Cluster ready for parallelism {Parallelism} after {Elapsed} ms: {Conditions}",
                        parallelism, (long)_time.GetElapsedTime(started).TotalMilliseconds, string.Join(", ", report.Conditions.Select(c => c.Name)));
                    return report;
                }

                // Everything that failed now holds: confirm the rest in one pass before declaring the cluster ready.
                toCheck = Enumerable.Range(0, _probes.Count).ToList();
                continue;
            }

            var now = _time.GetTimestamp();
            var signature = string.Join('\n', report.Conditions.Select(c => $"{c.Name}|{c.Ok}|{c.Observed}"));
            if (signature != lastSignature)
            {
                lastSignature = signature;
                lastChange = now;
                lastLog = now;
                _logger.LogInformation("Waiting for the cluster: {Holding}/{Total} conditions hold; {Failing}",
                    report.Conditions.Count(c => c.Ok), report.Conditions.Count, report.Describe().ReplaceLineEndings("; "));
            }
            else if (_time.GetElapsedTime(lastLog, now) >= _polling.ProgressLogInterval)
            {
                lastLog = now;
                _logger.LogInformation("Still waiting for the cluster after {Elapsed} s: {Failing}",
                    (long)_time.GetElapsedTime(started, now).TotalSeconds, report.Describe().ReplaceLineEndings("; "));
            }

            toCheck = failing;
            interval = _polling.Next(interval, _time.GetElapsedTime(lastChange, now));
            try
            {
                await Task.Delay(interval, _time, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return TimedOut(latest, parallelism, timeout);
            }
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private ReadinessReport TimedOut(IReadOnlyList<ReadinessCondition>?[] latest, int parallelism, TimeSpan timeout)
    {
        var unanswered = $"no answer within the ready timeout of {ProbeFailure.Seconds(timeout)}";
        var report = new ReadinessReport(latest
            .Select((answer, i) => answer ?? _probes[i].Unanswered(parallelism, unanswered))
            .SelectMany(r => r)
            .ToArray());
        _logger.LogWarning("Cluster not ready for parallelism {Parallelism} within {Timeout}: {Failing}",
            parallelism, ProbeFailure.Seconds(timeout), report.Describe().ReplaceLineEndings("; "));
        return report;
    }

    private static string EnsureTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";

    private sealed class PythonProbe(PythonEnvironmentCheck check) : IReadinessProbe
    {
        public async Task<IReadOnlyList<ReadinessCondition>> CheckAsync(int parallelism, CancellationToken cancellationToken) =>
            [await check.CheckAsync(cancellationToken).ConfigureAwait(false)];

        public IReadOnlyList<ReadinessCondition> Unanswered(int parallelism, string observed) =>
            [new(PythonEnvironmentCheck.ConditionName, false, check.Expected, observed)];
    }
}
