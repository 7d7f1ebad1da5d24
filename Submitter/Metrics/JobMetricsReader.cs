using System.Collections.Concurrent;
using System.Net;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Records;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Metrics;

/// <summary>
/// Reads one running job's figures with as few requests as it can: the job's vertex list once (a job's graph does not
/// change while it runs), then each round one request per vertex with every vertex metric named at once, one for the
/// checkpoints (none once Flink said the job does not checkpoint) and one for the job's metrics. A request that fails
/// leaves its figures out, is logged at Debug and is not repeated before the next round; when Flink cannot be reached or
/// does not answer in time, the job's remaining requests of the round are not sent either.
/// </summary>
internal sealed class JobMetricsReader(FlinkRestClient flink, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    /// <summary>The figures of <paramref name="run"/>'s job (it has a Flink job id) as Flink gives them now.</summary>
    public async Task<JobMetrics> ReadAsync(RunRecord run, DateTimeOffset at, CancellationToken ct)
    {
        var jobId = run.FlinkJobId!;
        var job = _jobs.GetOrAdd(jobId, _ => new Job());
        var round = new Round(this, run, ct);

        if (job.Vertices is null && await round.TryAsync(() => flink.GetJobVerticesAsync(jobId, ct)) is { } listed)
        {
            job.Vertices = listed;
        }

        var vertices = new List<VertexFigures>();
        foreach (var vertex in job.Vertices ?? [])
        {
            var answer = await round.TryAsync(() => flink.GetVertexMetricsAsync(jobId, vertex.Id, JobMetricsFigures.VertexMetrics, ct));
            vertices.Add(JobMetricsFigures.Vertex(vertex, answer));
        }

        FlinkCheckpointStatistics? checkpoints = null;
        if (!job.DoesNotCheckpoint)
        {
            checkpoints = await round.TryAsync(() => flink.GetCheckpointStatisticsAsync(jobId, ct));
            // Flink answers 404 ("Checkpointing has not been enabled.") for a job that does not checkpoint, all its life.
            job.DoesNotCheckpoint = round.LastStatus == HttpStatusCode.NotFound;
        }

        var restarts = await round.TryAsync(() => flink.GetJobMetricsAsync(jobId, JobMetricsFigures.JobMetrics, ct));
        return new JobMetrics(run.Pipeline, run.Id, jobId, at, JobMetricsFigures.Restarts(restarts),
            JobMetricsFigures.Checkpoints(checkpoints), vertices);
    }

    /// <summary>Forgets what was learnt about jobs that are no longer read.</summary>
    public void Keep(IReadOnlySet<string> jobIds)
    {
        foreach (var jobId in _jobs.Keys.Where(id => !jobIds.Contains(id)))
        {
            _jobs.TryRemove(jobId, out _);
        }
    }

    private sealed class Job
    {
        public IReadOnlyList<FlinkJobVertex>? Vertices { get; set; }

        public bool DoesNotCheckpoint { get; set; }
    }

    /// <summary>One job's requests in one round: after Flink could not be reached or did not answer in time, none is sent.</summary>
    private sealed class Round(JobMetricsReader reader, RunRecord run, CancellationToken ct)
    {
        private bool _unreachable;

        public HttpStatusCode? LastStatus { get; private set; }

        public async Task<T?> TryAsync<T>(Func<Task<T>> request)
            where T : class
        {
            LastStatus = null;
            if (_unreachable)
            {
                return null;
            }

            try
            {
                return await request().ConfigureAwait(false);
            }
            catch (FlinkRestException e) when (!ct.IsCancellationRequested)
            {
                LastStatus = e.StatusCode;
                _unreachable = e.Kind is FlinkRestFailureKind.Unreachable or FlinkRestFailureKind.Timeout;
                reader.Log(run, e);
                return null;
            }
        }
    }

    private void Log(RunRecord run, FlinkRestException e) =>
        logger.LogDebug("Metrics of run {RunId} ({Pipeline}, Flink job {JobId}) left out: {Error}", run.Id, run.Pipeline, run.FlinkJobId, e.Message);
}
