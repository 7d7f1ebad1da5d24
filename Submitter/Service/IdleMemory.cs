using System.Diagnostics;

namespace FlinkBeam.Submitter.Service;

/// <summary>
/// Gives back the memory a burst of runs made the service grow by. The garbage collector keeps the heap it grew to until
/// it collects again, which an idle service may not do for hours: once no run is active and the process is resident in
/// more than <see cref="Growth"/> beyond what it was after the last trim (or its start), it collects once, aggressively,
/// which returns the free part of the heap to the system.
/// </summary>
internal sealed class IdleMemory
{
    /// <summary>How much the process may grow beyond its idle size before an idle service trims it.</summary>
    public const long Growth = 8L * 1024 * 1024;

    private long _baseline = Resident();

    /// <summary>Whether to trim now: the service is idle and has grown by more than <see cref="Growth"/> since <paramref name="baseline"/>.</summary>
    public static bool ShouldTrim(bool idle, long resident, long baseline) => idle && resident - baseline > Growth;

    /// <summary>Trims when <see cref="ShouldTrim"/> says so; true when it did.</summary>
    public bool TrimIfGrown(bool idle)
    {
        if (!ShouldTrim(idle, Resident(), _baseline))
        {
            return false;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _baseline = Resident();
        return true;
    }

    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
