using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Ownership;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Service;

/// <summary>
/// Opens the catalog, the history and this service's registration when the host starts (so a bad catalog, a damaged
/// history or a data directory another service holds stops the start with its own message), takes over the runs whose
/// Submitter is gone, then keeps looking for such runs (a command-line run that was killed) while the service runs. On
/// shutdown (SIGTERM, Ctrl+C) it cancels the runs this service supervises, or leaves them running when
/// <see cref="SubmitterOptions.CancelOnShutdown"/> is off. A host whose start failed after runs were taken over is
/// disposed without being stopped; those runs are then left running on the cluster, as they were found.
/// </summary>
/// <remarks>
/// The engine is taken under both its types on purpose: the container disposes in reverse order of creation and
/// records the engine once per type it was first resolved as, so this service is disposed before the engine only when
/// both types were resolved before it was created. Otherwise the engine's own disposal would run first.
/// </remarks>
internal sealed class RunLifecycleService(
    IOptions<SubmitterOptions> options,
    PipelineCatalog catalog,
    RunManager engine,
    IRunManager runs,
    LeaseTimings lease,
    TimeProvider time,
    ILogger<RunLifecycleService> logger) : IHostedService, IAsyncDisposable
{
    private readonly BackgroundLoop _watch = BackgroundLoop.Every(lease.Renewal, time, ct => AdoptAsync(engine, logger, ct));
    private int _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Catalog {Catalog}: {Pipelines}", catalog.CatalogPath, string.Join(", ", catalog.Names));
        var adopted = await engine.AdoptOrphansAsync(cancellationToken).ConfigureAwait(false);
        if (adopted > 0)
        {
            logger.LogInformation("Took over {Count} runs that were active when their Submitter stopped", adopted);
        }

        _watch.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopped, 1);
        await _watch.StopAsync().ConfigureAwait(false);
        var cancel = options.Value.CancelOnShutdown;
        logger.LogInformation("Shutting down: {Action} {Count} active runs", cancel ? "cancelling" : "leaving running", runs.Active().Count);
        await runs.ShutdownAsync(cancel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposed without <see cref="StopAsync"/>: the host did not start, so the runs are left as they were found.</summary>
    public async ValueTask DisposeAsync()
    {
        await _watch.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        var active = runs.Active().Count;
        if (active > 0)
        {
            logger.LogWarning("The Submitter did not start; leaving {Count} active runs running", active);
        }

        await runs.ShutdownAsync(cancelActive: false).ConfigureAwait(false);
    }

    // Every few seconds: runs of a Submitter that is gone meanwhile (a command-line run that was killed) are taken over.
    private static async Task AdoptAsync(RunManager engine, ILogger logger, CancellationToken stopping)
    {
        try
        {
            var adopted = await engine.AdoptOrphansAsync(stopping).ConfigureAwait(false);
            if (adopted > 0)
            {
                logger.LogInformation("Took over {Count} runs whose Submitter is gone", adopted);
            }
        }
        catch (Exception e) when (e is RunStoreException or InvalidOperationException)
        {
            logger.LogWarning("Looking for runs whose Submitter is gone failed: {Error}", e.Message);
        }
    }
}
