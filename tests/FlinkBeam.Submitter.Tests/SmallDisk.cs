using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// A file system of its own for a data directory, small enough for a test to fill up and free again: a tmpfs mounted
/// for the test. Mounting needs root and mount(8); where the tests run without them, <see cref="TryMount"/> says why.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string mountPoint)
    {
        MountPoint = mountPoint;
        DataDirectory = Path.Combine(mountPoint, "data");
        _filler = Path.Combine(mountPoint, "filler");
    }

    public string MountPoint { get; }

    public string DataDirectory { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB in a new temporary folder; null, with the reason, where this machine cannot.</summary>
    public static SmallDisk? TryMount(int megabytes, out string reason)
    {
        reason = "";
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            reason = "mounting a small tmpfs to fill up needs root on Linux; the tests run as " + Environment.UserName;
            return null;
        }

        var mountPoint = Path.Combine(Path.GetTempPath(), "fb-small-disk-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(mountPoint);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", mountPoint);
        if (code != 0)
        {
            Directory.Delete(mountPoint);
            reason = $"mount -t tmpfs failed here ({output.Trim()})";
            return null;
        }

        return new SmallDisk(mountPoint);
    }

    /// <summary>
    /// Takes every free byte: first the history's write-ahead log is emptied (as a checkpoint at rest leaves it), so the
    /// next write of any Submitter on the directory needs new space.
    /// </summary>
    public void Fill()
    {
        var file = Path.Combine(DataDirectory, Store.HistoryFile.FileName);
        if (File.Exists(file))
        {
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=30");
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        using var filler = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var size in new[] { 1 << 20, 64 << 10, 4 << 10, 512, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true)
                {
                    filler.Write(chunk);
                }
            }
            catch (IOException)
            {
                // Full at this granularity: go on with smaller pieces.
            }
        }
    }

    /// <summary>The bytes free on the file system now.</summary>
    public long FreeBytes => new DriveInfo(MountPoint).AvailableFreeSpace;

    /// <summary>Gives the space back.</summary>
    public void Free() => File.Delete(_filler);

    public void Dispose()
    {
        // Lazily: a process that still holds a file there (a Submitter a failed test left) does not keep it mounted.
        Run("umount", "-l", MountPoint);
        try
        {
            Directory.Delete(MountPoint, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
