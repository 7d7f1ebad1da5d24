using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Runs;

/// <summary>Starts, follows, cancels and remembers runs. The one entry point for the HTTP API, the CLI and AutoRun.</summary>
public interface IRunManager
{
    /// <summary>A page of the history (every Submitter's runs in the data directory), newest first.</summary>
    RunPage Query(RunQuery query);

    /// <summary>The runs this Submitter supervises that have not ended, oldest first.</summary>
    IReadOnlyList<RunRecord> Active();

    /// <summary>One run, or null when the id is unknown.</summary>
    RunRecord? Get(string id);

    /// <summary>
    /// Validates the request against the catalog, persists a Pending run and starts it in the background.
    /// Throws <see cref="Cluster.Catalog.UnknownPipelineException"/> or <see cref="ArgumentException"/> on bad input; nothing is stored then.
    /// </summary>
    Task<RunRecord> StartAsync(RunRequest request, CancellationToken cancellationToken = default);

    /// <summary>Waits until the run reaches a terminal state and returns its final record.</summary>
    /// <exception cref="RunNotFoundException">No run has this id.</exception>
    /// <exception cref="RunOwnedElsewhereException">The run is active under another Submitter.</exception>
    Task<RunRecord> WaitAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Cancels an active run: the Flink job is cancelled, the client ended, the state becomes Cancelled.</summary>
    /// <exception cref="RunNotFoundException">No run has this id.</exception>
    /// <exception cref="RunNotActiveException">The run already reached a terminal state.</exception>
    /// <exception cref="RunOwnedElsewhereException">The run is active under another Submitter, which alone may cancel it.</exception>
    Task<RunRecord> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stops supervising: cancels this Submitter's active runs when <paramref name="cancelActive"/> is true, then flushes the history.</summary>
    Task ShutdownAsync(bool cancelActive, CancellationToken cancellationToken = default);
}
