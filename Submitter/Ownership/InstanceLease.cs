using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Ownership;

/// <summary>
/// This process's registration in a data directory: the instance that owns the runs it starts. The lease is renewed
/// in the background while the process lives and the registration is removed when it stops; a service refuses to
/// start on a directory another live service holds.
/// </summary>
public sealed class InstanceLease : IAsyncDisposable
{
    private readonly InstanceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaseTimings _timings;
    private readonly BackgroundLoop _renewal;
    private SubmitterInstance _instance;
    private string? _renewalProblem;

    private InstanceLease(InstanceRegistry registry, SubmitterInstance instance, TimeProvider time, ILogger logger, LeaseTimings timings)
    {
        _registry = registry;
        _instance = instance;
        _time = time;
        _logger = logger;
        _timings = timings;
        _renewal = BackgroundLoop.Every(timings.Renewal, time, _ => Renew());
        _renewal.Start();
    }

    /// <summary>The id runs of this instance carry as their <see cref="RunRecord.Owner"/>.</summary>
    public string InstanceId => _instance.Id;

    /// <summary>This machine's name as instances record it.</summary>
    public static string ThisHost { get; } = Environment.MachineName;

    /// <summary>Registers this process in <paramref name="registry"/>'s data directory.</summary>
    /// <param name="exclusive">Refuse when another live instance of the same <paramref name="role"/> holds the directory (the service).</param>
    /// <exception cref="DataDirectoryInUseException">Another live instance of the role holds the directory; nothing was changed.</exception>
    /// <exception cref="RunStoreException">The registration could not be written (a full disk names the data directory and its free space).</exception>
    public static InstanceLease Acquire(InstanceRegistry registry, string role, bool exclusive, TimeProvider time, ILogger logger, LeaseTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(role);
        timings ??= new LeaseTimings();
        var now = time.GetUtcNow();
        var self = ProcessIdentity.Current;
        var instance = new SubmitterInstance(Guid.NewGuid().ToString("N")[..12], role, ThisHost, self.ProcessId, self.Start, now, now + timings.Duration);
        registry.Register(instance, exclusive, other => OwnerLiveness.IsLive(other, now, ThisHost, identity => identity.IsRunning()));
        logger.LogInformation("Registered as {Instance} in {DataDirectory}", instance, registry.DataDirectory);
        return new InstanceLease(registry, instance, time, logger, timings);
    }

    /// <summary>
    /// Which owners are gone, as the registered instances say now (read once): the predicate is true when a run owned by
    /// that owner may be taken over by this instance.
    /// </summary>
    public Func<string?, bool> GoneOwners()
    {
        var instances = _registry.Instances();
        var now = _time.GetUtcNow();
        return owner => owner != InstanceId && OwnerLiveness.IsGone(owner, instances, now, ThisHost, identity => identity.IsRunning());
    }

    public async ValueTask DisposeAsync()
    {
        await _renewal.DisposeAsync().ConfigureAwait(false);
        try
        {
            _registry.Unregister(InstanceId);
        }
        catch (Exception e) when (e is RunStoreException or ObjectDisposedException)
        {
            _logger.LogWarning("Could not remove this Submitter's registration: {Error}", e.Message);
        }
    }

    private Task Renew()
    {
        try
        {
            var until = _time.GetUtcNow() + _timings.Duration;
            if (!_registry.Renew(InstanceId, until))
            {
                // Removed by an instance on another host that judged the lease expired: register again.
                _instance = _instance with { LeaseUntil = until };
                _registry.Register(_instance, exclusive: false, _ => true);
                _logger.LogWarning("This Submitter's registration had been removed (its lease had expired); registered again");
            }

            if (Interlocked.Exchange(ref _renewalProblem, null) is not null)
            {
                _logger.LogInformation("This Submitter's lease is renewed again");
            }
        }
        catch (Exception e) when (e is RunStoreException or ObjectDisposedException)
        {
            // Once per problem, not on every renewal while it lasts (a full disk).
            var problem = e is HistoryFullException ? nameof(HistoryFullException) : e.Message;
            if (Interlocked.Exchange(ref _renewalProblem, problem) != problem)
            {
                _logger.LogWarning("Renewing this Submitter's lease failed: {Error}", e.Message);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>How long a lease lasts and how often it is renewed.</summary>
public sealed record LeaseTimings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Renewal { get; init; } = TimeSpan.FromSeconds(10);
}
