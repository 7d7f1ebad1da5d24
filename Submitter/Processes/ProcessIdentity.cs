using System.Diagnostics;
using System.Globalization;

namespace FlinkBeam.Submitter.Processes;

/// <summary>
/// A process as the operating system names it for good: its id and when it started. An id alone is reused once the
/// process is gone, so a process is only ever signalled after both match. On Linux the start is the
/// <c>starttime</c> field of <c>/proc/&lt;pid&gt;/stat</c> (clock ticks since boot, exact); elsewhere the start time's ticks.
/// </summary>
public readonly record struct ProcessIdentity(int ProcessId, long Start)
{
    /// <summary>This process.</summary>
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId)
        ?? throw new InvalidOperationException("The start time of the Submitter's own process cannot be read.");

    /// <summary>The identity of the live process <paramref name="processId"/>, or null when there is none (or only a zombie).</summary>
    public static ProcessIdentity? Of(int processId)
    {
        if (processId <= 0)
        {
            return null;
        }

        if (OperatingSystem.IsLinux())
        {
            return ReadProcStat(processId) is { } stat && stat.State is not ('Z' or 'X')
                ? new ProcessIdentity(processId, stat.StartTicks)
                : null;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : new ProcessIdentity(processId, process.StartTime.ToUniversalTime().Ticks);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>True while this very process runs.</summary>
    public bool IsRunning() => Of(ProcessId) == this;

    /// <summary>
    /// Ends this process and the processes it started, if it is still this process. Returns false when it was already
    /// gone (or its id now names another process, which is left alone).
    /// </summary>
    public bool TryKillTree()
    {
        Process process;
        try
        {
            process = Process.GetProcessById(ProcessId);
        }
        catch (ArgumentException)
        {
            return false;
        }

        using (process)
        {
            if (!IsRunning())
            {
                return false;
            }

            try
            {
                process.Kill(entireProcessTree: true);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    private static (char State, long StartTicks)? ReadProcStat(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        var end = text.LastIndexOf(')');
        if (end < 0 || end + 2 >= text.Length)
        {
            return null;
        }

        var fields = text[(end + 2)..].Split(' ');
        // Field 3 (state) is fields[0]; field 22 (starttime) is fields[19].
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? (fields[0][0], start)
            : null;
    }
}
