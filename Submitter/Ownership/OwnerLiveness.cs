using FlinkBeam.Submitter.Processes;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Ownership;

/// <summary>
/// Whether the Submitter instance that owns a run is still there. On this host the process itself answers (its id
/// and start time, so a reused process id is not mistaken for it): a live owner keeps its runs however late its lease
/// is, and a crashed one loses them at once. An owner on another host (a data directory on shared storage) is judged by
/// its lease. Host names are taken to be unique among machines and containers sharing a data directory.
/// </summary>
public static class OwnerLiveness
{
    /// <summary>True while <paramref name="instance"/> holds its runs.</summary>
    public static bool IsLive(SubmitterInstance instance, DateTimeOffset now, string thisHost, Func<ProcessIdentity, bool> isRunning)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(isRunning);
        return string.Equals(instance.Host, thisHost, StringComparison.OrdinalIgnoreCase)
            ? isRunning(new ProcessIdentity(instance.ProcessId, instance.ProcessStart))
            : instance.LeaseUntil > now;
    }

    /// <summary>
    /// True when a run owned by <paramref name="owner"/> may be taken over: it has no owner, its owner's registration
    /// is gone, or its owner is no longer live.
    /// </summary>
    public static bool IsGone(string? owner, IEnumerable<SubmitterInstance> instances, DateTimeOffset now, string thisHost, Func<ProcessIdentity, bool> isRunning)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var registration = owner is null ? null : instances.FirstOrDefault(i => i.Id == owner);
        return registration is null || !IsLive(registration, now, thisHost, isRunning);
    }
}
