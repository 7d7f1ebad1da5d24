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
/// history or a data directory another service holds stops the start with its own message), reads the records of the
/// active runs (and names each that cannot be read: it is left as it is, never taken over or rewritten), takes over the
/// runs whose Submitter is gone, then keeps looking for such runs (a command-line run that was killed) while the
/// service runs. On
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
    RunHistory history,
    RunManager engine,
    IRunManager runs,
    LeaseTimings lease,
    TimeProvider time,
    ILogger<RunLifecycleService> logger) : IHostedService, IAsyncDisposable
{
    private readonly IdleMemory _memory = new();
    private BackgroundLoop? _watch;
    private string? _sweepProblem;
    private int _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Catalog {Catalog}: {Pipelines}", catalog.CatalogPath, string.Join(", ", catalog.Names));
        // The history reports each record it cannot read, by run and file, as it meets it.
        var unreadable = history.CheckActive();
        if (unreadable.Count > 0)
        {
            logger.LogWarning("{Count} active runs in {File} cannot be read ({Runs}): they are left as they are, never taken over or rewritten",
                unreadable.Count, history.FilePath, string.Join(", ", unreadable.Select(d => d.RunId)));
        }

        var adopted = await engine.AdoptOrphansAsync(cancellationToken).ConfigureAwait(false);
        if (adopted > 0)
        {
            logger.LogInformation("Took over {Count} runs that were active when their Submitter stopped", adopted);
        }

        _watch = BackgroundLoop.Every(lease.Renewal, time, AdoptAsync);
        _watch.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopped, 1);
        if (_watch is not null)
        {
            await _watch.StopAsync().ConfigureAwait(false);
        }

        var cancel = options.Value.CancelOnShutdown;
        logger.LogInformation("Shutting down: {Action} {Count} active runs", cancel ? "cancelling" : "leaving running", runs.Active().Count);
        await runs.ShutdownAsync(cancel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposed without <see cref="StopAsync"/>: the host did not start, so the runs are left as they were found.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_watch is not null)
        {
            await _watch.DisposeAsync().ConfigureAwait(false);
        }

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
    // A failure is logged when it first happens (or changes), not on every pass while it lasts (a full disk). Then, if no
    // run is active, the memory a burst of runs left behind is given back.
    private async Task AdoptAsync(CancellationToken stopping)
    {
        await TakeOverAsync(stopping).ConfigureAwait(false);
        if (_memory.TrimIfGrown(idle: runs.Active().Count == 0) is { } trimmed)
        {
            logger.LogDebug("Idle again: the memory the last runs needed was given back ({Trimmed})", trimmed);
        }
    }

    private async Task TakeOverAsync(CancellationToken stopping)
    {
        try
        {
            var adopted = await engine.AdoptOrphansAsync(stopping).ConfigureAwait(false);
            if (adopted > 0)
            {
                logger.LogInformation("Took over {Count} runs whose Submitter is gone", adopted);
            }

            _sweepProblem = null;
        }
        catch (Exception e) when (e is RunStoreException or InvalidOperationException)
        {
            var problem = e is HistoryFullException ? nameof(HistoryFullException) : e.Message;
            if (problem != _sweepProblem)
            {
                _sweepProblem = problem;
                logger.LogWarning("Looking for runs whose Submitter is gone failed: {Error}", e.Message);
            }
        }
    }
}
