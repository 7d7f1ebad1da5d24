using System.Text.Json;
using FlinkBeam.Submitter.Events;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Metrics;

/// <summary>
/// Reads the metrics of every Running run this Submitter supervises from Flink, in one round every
/// <c>Submitter:MetricsInterval</c> shared by all who look (the <c>flinkbeam.job.*</c> instruments and the event stream's
/// <c>metrics</c> events), never per caller. The round is plumbing: it is not traced. A job without metrics, or a Flink
/// that refuses them, leaves figures out and is no error.
/// </summary>
public sealed class JobMetricsCollector : IHostedService, IAsyncDisposable
{
    // Jobs read at the same time in a round; each job's own requests go one after another.
    private const int ParallelJobs = 4;

    private readonly IRunManager _runs;
    private readonly JobMetricsReader _reader;
    private readonly RunEvents _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BackgroundLoop _loop;
    private IReadOnlyList<JobMetrics> _latest = [];

    internal JobMetricsCollector(IRunManager runs, JobMetricsReader reader, RunEvents events, TimeSpan interval, TimeProvider time, ILogger<JobMetricsCollector> logger)
    {
        _runs = runs;
        _reader = reader;
        _events = events;
        _time = time;
        _logger = logger;
        _loop = BackgroundLoop.Every(interval, time, TickAsync);
    }

    /// <summary>The last round's figures of the runs that are still running: a run's figures go as soon as it ends.</summary>
    public IReadOnlyList<JobMetrics> Current
    {
        get
        {
            var latest = Volatile.Read(ref _latest);
            if (latest.Count == 0)
            {
                return latest;
            }

            var running = _runs.Active().Where(r => r.State == RunState.Running).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            return latest.Where(m => running.Contains(m.RunId)).ToList();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _loop.StopAsync();

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    /// <summary>One round: every Running run with a Flink job is read, its figures kept and sent to the event stream's clients.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        var running = _runs.Active().Where(r => r.State == RunState.Running && r.FlinkJobId is not null).ToList();
        _reader.Keep(running.Select(r => r.FlinkJobId!).ToHashSet(StringComparer.Ordinal));
        var at = _time.GetUtcNow();
        var figures = new JobMetrics[running.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, running.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelJobs, CancellationToken = cancellationToken },
            async (i, ct) => figures[i] = await _reader.ReadAsync(running[i], at, ct).ConfigureAwait(false)).ConfigureAwait(false);
        Volatile.Write(ref _latest, figures);

        if (_events.HasSubscribers)
        {
            foreach (var job in figures)
            {
                _events.PublishLive(RunEventNames.Metrics, JsonSerializer.Serialize(job, JobMetricsJsonContext.Default.JobMetrics));
            }
        }
    }

    private async Task TickAsync(CancellationToken stopping)
    {
        try
        {
            await RoundAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // The next round tries again; a round never ends the loop.
            _logger.LogWarning("A metrics round failed: {Error}", e.Message);
        }
    }
}
