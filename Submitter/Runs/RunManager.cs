using System.Collections.Concurrent;
using System.Diagnostics;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Submitter.Ownership;
using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Starts, supervises, cancels and remembers runs. Each run is driven by one background <see cref="RunSupervisor"/>;
/// transitions are written to the history before anyone can see them. Every run carries this Submitter instance as its
/// owner: only runs whose owner is gone are taken over (<see cref="AdoptOrphansAsync"/>), and shutdown touches only the
/// runs this instance supervises. Built only by <c>AddSubmitterEngine</c>.
/// </summary>
public sealed class RunManager : IRunManager, IAsyncDisposable
{
    private readonly PipelineCatalog _catalog;
    private readonly RunLedger _ledger;
    private readonly RunSupervisor _supervisor;
    private readonly ClientLauncher _launcher;
    private readonly InstanceLease _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _adopting = new(1, 1);
    private volatile bool _shuttingDown;
    private int _shutdownCalls;
    private int _disposed;

    internal RunManager(
        PipelineCatalog catalog,
        RunLedger ledger,
        RunSupervisor supervisor,
        ClientLauncher launcher,
        InstanceLease lease,
        ILogger<RunManager> logger,
        TimeProvider time)
    {
        _catalog = catalog;
        _ledger = ledger;
        _supervisor = supervisor;
        _launcher = launcher;
        _lease = lease;
        _logger = logger;
        _time = time;
    }

    /// <summary>This Submitter instance: the owner its runs carry.</summary>
    public string InstanceId => _lease.InstanceId;

    /// <inheritdoc />
    public RunPage Query(RunQuery query) => _ledger.Store.Query(query);

    /// <inheritdoc />
    public IReadOnlyList<RunRecord> Active() =>
        _active.Values.Select(r => r.Record).Where(r => !r.State.IsTerminal()).OrderBy(r => r.CreatedAt).ToList();

    /// <inheritdoc />
    public RunRecord? Get(string id) =>
        _active.TryGetValue(id, out var run) ? run.Record : _ledger.Store.Get(id);

    /// <summary>
    /// Checks a request as <see cref="StartAsync"/> would, without storing or starting anything: the pipeline, its
    /// arguments, and whether the system could start a client with them.
    /// </summary>
    /// <exception cref="UnknownPipelineException">The catalog has no such pipeline.</exception>
    /// <exception cref="RunRequestException">The arguments cannot reach a client (null, NUL, too large).</exception>
    /// <exception cref="OwnedOptionException">An argument sets an option the Submitter owns.</exception>
    /// <exception cref="RefusedOptionException">An argument replaces one the catalog fixes, or acts on this machine, and the entry does not list it as overridable.</exception>
    public void Validate(RunRequest request) => Prepare(request, "0000000000000000");

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The manager is shutting down.</exception>
    public Task<RunRecord> StartAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfShuttingDown();
        string id;
        (PipelineDefinition Definition, IReadOnlyList<string> Extra, string JobName, IReadOnlyList<string> Arguments) prepared;
        do
        {
            id = Guid.NewGuid().ToString("N")[..16];
            prepared = Prepare(request, id);
        }
        while (_ledger.Store.IsTaken(id, prepared.JobName));

        var (definition, extra, jobName, arguments) = prepared;
        var now = _time.GetUtcNow();
        var record = new RunRecord
        {
            Id = id,
            Pipeline = definition.Name,
            Args = extra.ToArray(),
            JobName = jobName,
            State = RunState.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            Owner = _lease.InstanceId,
        };

        var run = new ActiveRun(record, definition, arguments);
        _ledger.Add(record);
        _active[id] = run;
        var caller = Activity.Current?.Context ?? default;
        run.Supervisor = BackgroundWork.Start(() => SuperviseAsync(run, () => _supervisor.RunAsync(run, caller)));
        return Task.FromResult(record);
    }

    /// <inheritdoc />
    public async Task<RunRecord> WaitAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_active.TryGetValue(id, out var run))
        {
            return await run.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var record = _ledger.Store.Get(id) ?? throw new RunNotFoundException(id);
        return record.State.IsTerminal() ? record : throw new RunOwnedElsewhereException(id, record.Owner);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Returns the final record. When the run reached another terminal state before the cancellation took effect
    /// (its job finished at that moment), that state is returned. Concurrent cancels of one run share one cancellation.
    /// </remarks>
    public async Task<RunRecord> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_active.TryGetValue(id, out var run))
        {
            Task<RunRecord> task;
            bool first;
            lock (run.Gate)
            {
                if (run.Record.State.IsTerminal())
                {
                    throw new RunNotActiveException(id, run.Record.State);
                }

                first = run.CancelTask is null;
                run.CancelTask ??= run.Completion.Task;
                task = run.CancelTask;
            }

            if (first)
            {
                _logger.LogInformation("Cancelling run {RunId} of {Pipeline}", id, run.Record.Pipeline);
                await run.RequestCancelAsync().ConfigureAwait(false);
            }

            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var record = _ledger.Store.Get(id) ?? throw new RunNotFoundException(id);
        throw record.State.IsTerminal() ? new RunNotActiveException(id, record.State) : new RunOwnedElsewhereException(id, record.Owner);
    }

    /// <summary>
    /// Takes over the active runs in the history whose owner is gone (a Submitter that crashed or was stopped without
    /// cancelling them). A run that was accepted but never launched (Pending, WaitingForCluster) is resumed: prepared
    /// again from the catalog and launched once, with its id and job name. A run that was launching or later is
    /// followed: re-attached by job name when Flink has its job, and never failed while the job runs; a client such a
    /// Submitter left running is ended once its job is found or the run is decided. Runs of live instances are left
    /// alone, and so is a run whose record cannot be read (the history reports it). Safe to call repeatedly, and by
    /// competing Submitters: each run is taken by one of them.
    /// </summary>
    /// <returns>How many runs were taken over.</returns>
    /// <exception cref="RunStoreException">The history could not be read, or a take-over could not be written.</exception>
    public async Task<int> AdoptOrphansAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfShuttingDown();
        await _adopting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var adopted = 0;
            var isGone = _lease.GoneOwners();
            // Ids and owners from the index of active runs: a record is read only for a run that is to be taken over.
            foreach (var (id, owner) in _ledger.Store.ActiveOwners())
            {
                if (_active.ContainsKey(id) || !isGone(owner))
                {
                    continue;
                }

                RunRecord? record;
                try
                {
                    record = _ledger.Store.Get(id);
                }
                catch (DamagedRecordException)
                {
                    // Reported by the history when it met it; left as it is, never rewritten.
                    continue;
                }

                if (record is null || record.State.IsTerminal()
                    || _ledger.Store.TryClaim(record, _lease.InstanceId, _time.GetUtcNow()) is not { } claimed)
                {
                    continue;
                }

                adopted++;
                var from = record.Owner ?? "an earlier Submitter";
                if (SupervisionDecision.ResumesOnTakeOver(claimed.State))
                {
                    Resume(claimed, from);
                    continue;
                }

                _logger.LogInformation("Taking over run {RunId} ({JobName}, {State}) from {Owner}, which is gone", claimed.Id, claimed.JobName, claimed.State, from);
                var run = new ActiveRun(claimed);
                _active[claimed.Id] = run;
                run.Supervisor = BackgroundWork.Start(() => SuperviseAsync(run, () => _supervisor.AdoptAsync(run)));
            }

            return adopted;
        }
        finally
        {
            _adopting.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A run whose cancellation fails is logged and the others are still cancelled; records the history could not write
    /// yet are tried once more, and those still not written are named in one log line. Shutdown itself does not fail
    /// for either.
    /// </remarks>
    public async Task ShutdownAsync(bool cancelActive, CancellationToken cancellationToken = default)
    {
        _shuttingDown = true;
        Interlocked.Increment(ref _shutdownCalls);
        var runs = _active.Values.ToList();
        try
        {
            if (cancelActive)
            {
                await Task.WhenAll(runs.Select(async run =>
                {
                    try
                    {
                        await CancelAsync(run.Id, cancellationToken).ConfigureAwait(false);
                    }
                    catch (RunNotActiveException)
                    {
                        // Ended on its own meanwhile.
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Detached by an earlier shutdown that left it running.
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _logger.LogError("Cancelling run {RunId} at shutdown failed: {Error}", run.Id, e.Message);
                    }
                })).ConfigureAwait(false);
            }
            else
            {
                foreach (var run in runs)
                {
                    run.Detach();
                }
            }

            await Task.WhenAll(runs.Select(r => r.Supervisor)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            FlushHistory();
        }
    }

    /// <summary>Shuts down, leaving runs running, if that has not happened.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Volatile.Read(ref _shutdownCalls) == 0)
        {
            try
            {
                await ShutdownAsync(cancelActive: false).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RunStoreException or ObjectDisposedException)
            {
                _logger.LogError(ex, "Shutting down the run manager failed");
            }
        }

        _adopting.Dispose();
    }

    private async Task SuperviseAsync(ActiveRun run, Func<Task> supervise)
    {
        try
        {
            await supervise().ConfigureAwait(false);
        }
        finally
        {
            if (run.Record.State.IsTerminal())
            {
                _active.TryRemove(run.Id, out _);
                if (run.Client is OwnClient { Process: { Completion.IsCompleted: true } process })
                {
                    await process.LogCompletion.ConfigureAwait(false);
                    process.Dispose();
                }
            }
            else if (run.Detached)
            {
                run.Completion.TrySetCanceled();
            }
        }
    }

    /// <summary>Resumes a run taken over before it was launched: prepared again from the catalog, then gated and launched as a new run is.</summary>
    private void Resume(RunRecord claimed, string from)
    {
        ActiveRun run;
        try
        {
            var prepared = Prepare(new RunRequest(claimed.Pipeline, claimed.Args), claimed.Id, claimed.JobName);
            run = new ActiveRun(claimed, prepared.Definition, prepared.Arguments);
        }
        catch (Exception e) when (e is UnknownPipelineException or ArgumentException)
        {
            // Never launched, and it cannot be now: it ends here.
            var failed = new ActiveRun(claimed);
            _ledger.Apply(failed, r => r with
            {
                State = RunState.Failed,
                FailureReason = RunFailureReason.SubmitterRestarted,
                Error = $"The run was accepted ({r.State}) by Submitter instance {from}, which stopped before launching it, and it cannot be launched now: {e.Message} It was not launched.",
            });
            return;
        }

        _logger.LogInformation("Resuming run {RunId} ({JobName}, {State}) of {Owner}, which stopped before launching it", claimed.Id, claimed.JobName, claimed.State, from);
        _ledger.Apply(run, r => r with
        {
            Warnings = [.. r.Warnings, $"Resumed after a Submitter restart: accepted ({r.State}) by Submitter instance {from}, which stopped before launching it; launched once by instance {InstanceId} with the same id and job name."],
        });
        _active[claimed.Id] = run;
        run.Supervisor = BackgroundWork.Start(() => SuperviseAsync(run, () => _supervisor.RunAsync(run, default)));
    }

    // Records the history could not write yet are tried once more; those still not written are named in one line.
    private void FlushHistory()
    {
        var history = _ledger.Store;
        try
        {
            if (history.WriteUnwritten() > 0 && history.DescribeUnwritten() is { } unwritten)
            {
                _logger.LogWarning("{Unwritten}", unwritten);
            }
            else
            {
                _ledger.Store.Flush();
            }
        }
        catch (Exception e) when (e is RunStoreException or ObjectDisposedException)
        {
            _logger.LogWarning("The history's write-ahead log could not be moved into {File}: {Error}", history.FilePath, e.Message);
        }
    }

    private (PipelineDefinition Definition, IReadOnlyList<string> Extra, string JobName, IReadOnlyList<string> Arguments) Prepare(RunRequest request, string id, string? jobName = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Pipeline))
        {
            throw new RunRequestException($"A run needs a pipeline name; the catalog has: {string.Join(", ", _catalog.Names)}.");
        }

        var definition = _catalog.Get(request.Pipeline);
        var extra = request.Args ?? [];
        for (var i = 0; i < extra.Count; i++)
        {
            if (extra[i] is null)
            {
                throw new RunRequestException($"Pipeline argument {i} is null.");
            }

            if (extra[i].Contains('\0', StringComparison.Ordinal))
            {
                throw new RunRequestException($"Pipeline argument {i} contains a NUL character, which no process argument can carry.");
            }
        }

        jobName ??= JobNames.Create(definition.Name, id[..8]);
        var combined = PipelineArguments.Combine(definition.Name, PipelineCatalog.SubstituteArgs(definition.Args, id, jobName), extra, definition.Overridable);
        var arguments = _launcher.Arguments(definition, jobName, combined);
        if (_launcher.CheckLimits(arguments) is { } tooLarge)
        {
            throw new RunRequestException(tooLarge);
        }

        return (definition, extra, jobName, arguments);
    }

    private void ThrowIfShuttingDown()
    {
        if (_shuttingDown)
        {
            throw new InvalidOperationException("The Submitter is shutting down; no new runs are started.");
        }
    }
}
