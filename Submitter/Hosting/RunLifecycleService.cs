using FlinkBeam.Submitter.Catalog;
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
/// </summary>
internal sealed class RunLifecycleService(
    IOptions<SubmitterOptions> options,
    PipelineCatalog catalog,
    RunManager runs,
    ILogger<RunLifecycleService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Catalog {Catalog}: {Pipelines}", catalog.CatalogPath, string.Join(", ", catalog.Names));
        var recovered = await runs.RecoverAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            logger.LogInformation("Picked up {Count} runs that were active when the Submitter last stopped", recovered);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var cancel = options.Value.CancelOnShutdown;
        var active = runs.List().Count(r => !r.State.IsTerminal());
        logger.LogInformation("Shutting down: {Action} {Count} active runs", cancel ? "cancelling" : "leaving running", active);
        await runs.ShutdownAsync(cancel, cancellationToken).ConfigureAwait(false);
    }
}
