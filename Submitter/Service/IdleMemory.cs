using System.Diagnostics;

namespace FlinkBeam.Submitter.Service;

/// <summary>
/// Gives back the memory a burst of runs made the service grow by. The garbage collector keeps the heap it grew to until
/// it collects again, which an idle service may not do for hours: once no run is active and the process is resident in
/// more than <see cref="Growth"/> beyond what it was after the last trim (or its start), it collects, aggressively, once
/// before and once after the finalizers of what the burst left have run, which returns the free heap to the system.
/// </summary>
internal sealed class IdleMemory
{
    /// <summary>How much the process may grow beyond its idle size before an idle service trims it.</summary>
    public const long Growth = 8L * 1024 * 1024;

    private long _baseline = Resident();

    /// <summary>Whether to trim now: the service is idle and has grown by more than <see cref="Growth"/> since <paramref name="baseline"/>.</summary>
    public static bool ShouldTrim(bool idle, long resident, long baseline) => idle && resident - baseline > Growth;

    /// <summary>Trims when <see cref="ShouldTrim"/> says so; what it did, or null when it did not.</summary>
    public string? TrimIfGrown(bool idle)
    {
        var before = Resident();
        if (!ShouldTrim(idle, before, _baseline))
        {
            return null;
        }

        // What a burst leaves is largely finalizable (the clients' pipes and threads, sockets, read connections): a first
        // collection queues their finalizers, the second frees them and what they held.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _baseline = Resident();
        var heap = GC.GetGCMemoryInfo(GCKind.Any);
        return $"resident {Megabytes(before)} MB before, {Megabytes(_baseline)} MB after; "
            + $"managed heap {Megabytes(heap.HeapSizeBytes)} MB, {Megabytes(heap.TotalCommittedBytes)} MB committed";
    }

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
