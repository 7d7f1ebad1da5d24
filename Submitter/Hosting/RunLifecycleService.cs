using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Hosting;

/// <summary>
/// Opens the catalog and the history when the host starts (so a bad catalog or a damaged history stops the start with
/// its own message), re-attaches the runs that were active when the Submitter last stopped, and on shutdown (SIGTERM,
/// Ctrl+C) cancels the active runs, or leaves them running when <see cref="SubmitterOptions.CancelOnShutdown"/> is off.
/// A host whose start failed after the runs were re-attached (an address it cannot listen on) is disposed without
/// being stopped; those runs are then left running on the cluster, as they were found.
/// </summary>
/// <remarks>
/// The engine is taken under both its types on purpose: the container disposes in reverse order of creation and
/// records the engine once per type it was first resolved as, so this service is disposed before the engine only when
/// both types were resolved before it was created. Otherwise the engine's own disposal would shut down first, cancelling.
/// </remarks>
internal sealed class RunLifecycleService(
    IOptions<SubmitterOptions> options,
    PipelineCatalog catalog,
    RunManager engine,
    IRunManager runs,
    ILogger<RunLifecycleService> logger) : IHostedService, IAsyncDisposable
{
    private int _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Catalog {Catalog}: {Pipelines}", catalog.CatalogPath, string.Join(", ", catalog.Names));
        var recovered = await engine.RecoverAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            logger.LogInformation("Picked up {Count} runs that were active when the Submitter last stopped", recovered);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopped, 1);
        var cancel = options.Value.CancelOnShutdown;
        var active = runs.List().Count(r => !r.State.IsTerminal());
        logger.LogInformation("Shutting down: {Action} {Count} active runs", cancel ? "cancelling" : "leaving running", active);
        await runs.ShutdownAsync(cancel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposed without <see cref="StopAsync"/>: the host did not start, so the runs are left as they were found.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        var active = runs.List().Count(r => !r.State.IsTerminal());
        if (active > 0)
        {
            logger.LogWarning("The Submitter did not start; leaving {Count} active runs running", active);
        }

        await runs.ShutdownAsync(cancelActive: false).ConfigureAwait(false);
    }
}
