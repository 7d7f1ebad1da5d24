using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Service;

/// <summary>
/// Starts each pipeline named in <c>Submitter:AutoRun</c> once, as soon as the readiness gate holds. A gate that
/// times out is logged and waited for again: in service mode the cluster may simply be slow to come up.
/// </summary>
internal sealed class AutoRunService(
    IOptions<SubmitterOptions> options,
    PipelineCatalog catalog,
    IReadinessGate gate,
    IRunManager runs,
    ILogger<AutoRunService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var pipelines = new List<PipelineDefinition>();
        foreach (var name in settings.AutoRun.Distinct(StringComparer.Ordinal))
        {
            if (catalog.TryGet(name, out var definition))
            {
                pipelines.Add(definition);
            }
            else
            {
                logger.LogError("AutoRun names {Pipeline}, which is not in the catalog; the catalog has: {Pipelines}",
                    name, string.Join(", ", catalog.Names));
            }
        }

        if (pipelines.Count == 0)
        {
            return;
        }

        // Ready for the smallest of them; each run's own gate pass checks its slots before it launches.
        var parallelism = pipelines.Min(p => p.Parallelism);
        logger.LogInformation("AutoRun: waiting for the cluster before starting {Pipelines}", string.Join(", ", pipelines.Select(p => p.Name)));
        while (true)
        {
            var report = await gate.WaitUntilReadyAsync(parallelism, settings.ReadyTimeout, stoppingToken).ConfigureAwait(false);
            if (report.IsReady)
            {
                break;
            }

            logger.LogWarning("AutoRun: the cluster is still not ready after {Seconds} s; waiting on. {Failing}",
                settings.ReadyTimeout.TotalSeconds, report.Describe().ReplaceLineEndings("; "));
        }

        foreach (var pipeline in pipelines)
        {
            try
            {
                var run = await runs.StartAsync(new RunRequest(pipeline.Name), stoppingToken).ConfigureAwait(false);
                logger.LogInformation("AutoRun: started {Pipeline} as run {RunId} (job {JobName})", pipeline.Name, run.Id, run.JobName);
            }
            catch (RunStoreException e)
            {
                // A full disk or a history that cannot be written: the history said so once; no stack trace.
                logger.LogError("AutoRun: {Pipeline} could not be started: {Error}", pipeline.Name, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "AutoRun: {Pipeline} could not be started", pipeline.Name);
            }
        }
    }
}
