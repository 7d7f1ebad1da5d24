using System.Collections.Concurrent;
using System.Diagnostics;
using FlinkBeam.Cluster;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Starts, supervises, cancels and remembers runs. Each run is driven by one background supervisor; transitions
/// of a run are serialized and written to the <see cref="RunStore"/> before anyone can see them. Flink's job
/// list is polled once for all runs (tight adaptive polling), and the client process is judged against the job.
/// </summary>
/// <remarks>
/// Service mode: registered by <see cref="SubmitterEngineServiceCollectionExtensions.AddSubmitterEngine"/>; the host calls
/// <see cref="RecoverAsync"/> once at start and <see cref="ShutdownAsync"/> at stop. CLI and tests: use
/// <see cref="Create"/> (owns everything it opens) or the constructor (owns nothing).
/// </remarks>
public sealed class RunManager : IRunManager, IAsyncDisposable
{
    private readonly SubmitterOptions _options;
    private readonly PipelineCatalog _catalog;
    private readonly RunStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RunLedger _ledger;
    private readonly FlinkJobWatcher _watcher;
    private readonly RunSupervisor _supervisor;
    private readonly FlinkRestClient _flink;
    private readonly VersionSet _versions;
    private readonly string? _flinkMaster;
    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];
    private int _recovered;
    private volatile bool _shuttingDown;
    private int _shutdownCalls;
    private int _disposed;

    /// <summary>Creates a manager over parts the caller owns (and disposes).</summary>
    /// <param name="options">Launch and supervision settings; <see cref="SubmitterOptions.FlinkRestUrl"/> is only used for <c>--flink_master</c> in Flink mode.</param>
    /// <param name="catalog">The pipelines that may run.</param>
    /// <param name="store">The durable history.</param>
    /// <param name="gate">Checked before every launch.</param>
    /// <param name="flink">Where jobs are found and followed.</param>
    /// <param name="jobService">The Beam Job API, used to learn Beam job ids and to cancel; null when there is none (Flink mode).</param>
    /// <param name="loggerFactory">Logs; client output goes to the category <c>FlinkBeam.Submitter.Client</c>.</param>
    /// <param name="telemetry">Spans and metrics; a private instance when null.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    /// <exception cref="InvalidOperationException">The options cannot produce a valid launch (names the setting).</exception>
    public RunManager(
        SubmitterOptions options,
        PipelineCatalog catalog,
        RunStore store,
        IReadinessGate gate,
        FlinkRestClient flink,
        BeamJobServiceClient? jobService = null,
        ILoggerFactory? loggerFactory = null,
        SubmitterTelemetry? telemetry = null,
        TimeProvider? timeProvider = null)
        : this(options, catalog, store, gate, flink, jobService, loggerFactory, telemetry, timeProvider, new SupervisionTimings())
    {
    }

    internal RunManager(
        SubmitterOptions options,
        PipelineCatalog catalog,
        RunStore store,
        IReadinessGate gate,
        FlinkRestClient flink,
        BeamJobServiceClient? jobService,
        ILoggerFactory? loggerFactory,
        SubmitterTelemetry? telemetry,
        TimeProvider? timeProvider,
        SupervisionTimings timings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(flink);
        _options = options;
        _catalog = catalog;
        _store = store;
        _flink = flink;
        _time = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<RunManager>();
        if (telemetry is null)
        {
            telemetry = new SubmitterTelemetry();
            _owned.Add(telemetry);
        }

        ValidateTimings(options);
        try
        {
            _versions = VersionSet.Create(options.BeamVersion, options.FlinkVersion, options.PythonVersion);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Submitter configuration: {ex.Message}", ex);
        }

        _flinkMaster = options.Mode == RunnerMode.Flink ? FlinkMaster(options) : null;
        try
        {
            // Fails now, naming the setting, rather than on the first run.
            BuildArguments(new PipelineDefinition("check", Path.Combine(catalog.Directory, "check.py"), null, [], 1), "check-00000000", []);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Submitter configuration cannot launch pipelines: {ex.Message}", ex);
        }

        _ledger = new RunLedger(store, _time, telemetry, _logger);
        _watcher = new FlinkJobWatcher(flink, timings, _time, _logger);
        _supervisor = new RunSupervisor(options, timings, catalog.Directory, gate, flink, jobService, _watcher, _ledger, telemetry,
            _logger, loggerFactory.CreateLogger("FlinkBeam.Submitter.Client"), _time);
    }

    /// <summary>The catalog runs are validated against.</summary>
    public PipelineCatalog Catalog => _catalog;

    /// <summary>
    /// Opens everything from <paramref name="options"/> (catalog, history, Flink REST and Job API clients) and returns
    /// a manager that disposes them. For the CLI and tests; service mode uses DI.
    /// </summary>
    /// <exception cref="CatalogException">The catalog is missing or invalid.</exception>
    /// <exception cref="RunStoreException">The history cannot be opened; the file is left untouched.</exception>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid (named in the message).</exception>
    public static RunManager Create(SubmitterOptions options, IReadinessGate gate, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        Create(options, gate, loggerFactory, timeProvider, new SupervisionTimings());

    internal static RunManager Create(
        SubmitterOptions options, IReadinessGate gate, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, SupervisionTimings timings)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = PipelineCatalog.Load(options.CatalogPath);
        var clients = ClusterClientsServiceCollectionExtensions.BuildStandalone(options);
        RunStore? store = null;
        try
        {
            var flink = clients.GetRequiredService<FlinkRestClient>();
            var jobService = ClusterClientsServiceCollectionExtensions.JobServiceOrNull(clients);
            store = RunStore.Open(options.DataDirectory);
            var manager = new RunManager(options, catalog, store, gate, flink, jobService, loggerFactory, null, timeProvider, timings);
            manager._owned.Add(clients);
            manager._owned.Add(store);
            return manager;
        }
        catch
        {
            store?.Dispose();
            clients.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RunRecord> List() => _ledger.List();

    /// <inheritdoc />
    public RunRecord? Get(string id) => _ledger.Get(id);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The manager is shutting down.</exception>
    public Task<RunRecord> StartAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfShuttingDown();
        if (string.IsNullOrWhiteSpace(request.Pipeline))
        {
            throw new ArgumentException($"A run needs a pipeline name; the catalog has: {string.Join(", ", _catalog.Names)}.", nameof(request));
        }

        var definition = _catalog.Get(request.Pipeline);
        var extra = request.Args ?? [];
        for (var i = 0; i < extra.Count; i++)
        {
            if (extra[i] is null)
            {
                throw new ArgumentException($"Pipeline argument {i} is null.", nameof(request));
            }

            if (extra[i].Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Pipeline argument {i} contains a NUL character, which no process argument can carry.", nameof(request));
            }
        }

        string id;
        string jobName;
        do
        {
            id = Guid.NewGuid().ToString("N")[..16];
            jobName = JobNames.Create(definition.Name, id[..8]);
        }
        while (_ledger.IsTaken(id, jobName));

        var arguments = BuildArguments(definition, jobName, PipelineCatalog.SubstituteArgs(definition.Args, id, jobName).Concat(extra).ToList());
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
        };

        var run = new ActiveRun(record, definition, arguments);
        _ledger.Add(record);
        _active[id] = run;
        var caller = Activity.Current?.Context ?? default;
        run.Supervisor = Task.Run(() => SuperviseAsync(run, () => _supervisor.RunAsync(run, caller)), CancellationToken.None);
        return Task.FromResult(record);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The run was active when the Submitter stopped and <see cref="RecoverAsync"/> has not run.</exception>
    public async Task<RunRecord> WaitAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_active.TryGetValue(id, out var run))
        {
            return await run.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var record = _ledger.Get(id) ?? throw new RunNotFoundException(id);
        return record.State.IsTerminal() ? record : throw NotRecovered(id);
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

        var record = _ledger.Get(id) ?? throw new RunNotFoundException(id);
        throw record.State.IsTerminal() ? new RunNotActiveException(id, record.State) : NotRecovered(id);
    }

    /// <summary>
    /// Picks up the runs the history lists as active (the Submitter stopped while they ran): each is re-attached by
    /// job name when Flink still has its job and followed to the end without a client; otherwise it is marked
    /// Failed ("Submitter restarted; no Flink job named X was found"). When Flink does not answer now, the runs are
    /// followed in the background and decided within the job timeout. Call once, at start; later calls do nothing.
    /// </summary>
    /// <returns>How many runs were picked up.</returns>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfShuttingDown();
        if (Interlocked.Exchange(ref _recovered, 1) == 1)
        {
            return 0;
        }

        var stale = _ledger.Active().Where(r => !_active.ContainsKey(r.Id)).ToList();
        if (stale.Count == 0)
        {
            return 0;
        }

        IReadOnlyList<FlinkJobSummary>? jobs = null;
        try
        {
            jobs = await _flink.GetJobsOverviewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FlinkRestException ex)
        {
            _logger.LogWarning("Flink did not answer while recovering {Count} runs ({Error}); they are followed in the background", stale.Count, ex.Message);
        }

        foreach (var record in stale)
        {
            var run = new ActiveRun(record, null, null);
            _active[record.Id] = run;
            FlinkJobSummary? job = null;
            if (jobs is not null)
            {
                job = (record.FlinkJobId is { } known ? jobs.FirstOrDefault(j => j.Id == known) : null)
                    ?? RunSupervisor.FindJob(jobs, record.JobName);
                if (job is null)
                {
                    _ledger.Apply(run, r => r with
                    {
                        State = RunState.Failed,
                        FailureReason = RunFailureReason.SubmitterRestarted,
                        Error = $"Submitter restarted; no Flink job named {r.JobName} was found.",
                    });
                    _active.TryRemove(record.Id, out _);
                    continue;
                }
            }

            if (job is not null)
            {
                var found = job;
                _ledger.Apply(run, r => RunSupervisor.Reattached(r, found, _time.GetUtcNow()));
            }

            _logger.LogInformation("Re-attaching run {RunId} ({JobName}) to {FlinkJob}", record.Id, record.JobName, job?.Id ?? "its job once Flink answers");
            run.Supervisor = Task.Run(() => SuperviseAsync(run, () => _supervisor.ReattachAsync(run)), CancellationToken.None);
        }

        return stale.Count;
    }

    /// <inheritdoc />
    public async Task ShutdownAsync(bool cancelActive, CancellationToken cancellationToken = default)
    {
        _shuttingDown = true;
        Interlocked.Increment(ref _shutdownCalls);
        var runs = _active.Values.ToList();
        try
        {
            if (cancelActive)
            {
                var cancels = runs.Select(async run =>
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
                });
                await Task.WhenAll(cancels).ConfigureAwait(false);
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
            _store.Flush();
        }
    }

    /// <summary>Shuts down (with <see cref="SubmitterOptions.CancelOnShutdown"/>) if that has not happened, then releases what this manager owns.</summary>
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
                await ShutdownAsync(_options.CancelOnShutdown).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RunStoreException or ObjectDisposedException)
            {
                _logger.LogError(ex, "Shutting down the run manager failed");
            }
        }

        await _watcher.DisposeAsync().ConfigureAwait(false);
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
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
                if (run.Client is { Completion.IsCompleted: true } client)
                {
                    await client.LogCompletion.ConfigureAwait(false);
                    client.Dispose();
                }
            }
            else if (run.Detached)
            {
                run.Completion.TrySetCanceled();
            }
        }
    }

    /// <summary>The client's argument list: the script, the options the system owns, then catalog and request arguments.</summary>
    private IReadOnlyList<string> BuildArguments(PipelineDefinition definition, string jobName, IReadOnlyList<string> extra)
    {
        var settings = new PipelineOptionsSettings
        {
            Mode = _options.Mode,
            JobName = jobName,
            JobEndpoint = NullIfEmpty(_options.JobEndpoint),
            ArtifactEndpoint = NullIfEmpty(_options.ArtifactEndpoint),
            Environment = _options.Environment,
            EnvironmentConfig = NullIfEmpty(_options.EnvironmentConfig),
            Parallelism = definition.Parallelism,
            FlinkMaster = _flinkMaster,
            Versions = _versions,
        };
        return [definition.ScriptPath, .. PipelineOptions.Build(settings, extra, allowOverride: false, _logger)];
    }

    private static void ValidateTimings(SubmitterOptions options)
    {
        void Require(bool ok, string setting, TimeSpan value, string rule)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"Submitter configuration: {setting} is {value}; it must be {rule}.");
            }
        }

        Require(options.ReadyTimeout > TimeSpan.Zero, nameof(options.ReadyTimeout), options.ReadyTimeout, "positive");
        Require(options.JobTimeout > TimeSpan.Zero, nameof(options.JobTimeout), options.JobTimeout, "positive");
        Require(options.Grace >= TimeSpan.Zero, nameof(options.Grace), options.Grace, "zero or more");
        Require(options.RetryBackoff >= TimeSpan.Zero, nameof(options.RetryBackoff), options.RetryBackoff, "zero or more");
        if (options.Retries < 0)
        {
            throw new InvalidOperationException($"Submitter configuration: Retries is {options.Retries}; it must be zero or more.");
        }

        if (string.IsNullOrWhiteSpace(options.PythonPath))
        {
            throw new InvalidOperationException("Submitter configuration: PythonPath is empty; give the Python interpreter that runs pipeline clients.");
        }
    }

    private void ThrowIfShuttingDown()
    {
        if (_shuttingDown)
        {
            throw new InvalidOperationException("The Submitter is shutting down; no new runs are started.");
        }
    }

    private static InvalidOperationException NotRecovered(string id) =>
        new($"Run '{id}' was active when the Submitter stopped and has not been recovered yet (RecoverAsync).");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The <c>--flink_master</c> value for FlinkRunner mode: <c>http://host:port</c> of <see cref="SubmitterOptions.FlinkRestUrl"/>.</summary>
    private static string FlinkMaster(SubmitterOptions options) =>
        Uri.TryCreate(options.FlinkRestUrl?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : throw new InvalidOperationException(
                $"Submitter configuration: FlinkRestUrl '{options.FlinkRestUrl}' is not an http(s) address like http://localhost:{ClusterPorts.FlinkRest}.");
}
