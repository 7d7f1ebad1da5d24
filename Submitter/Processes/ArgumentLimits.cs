using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FlinkBeam.Submitter.Processes;

/// <summary>
/// What the operating system accepts when it starts a process: on Linux each argument at most <c>MAX_ARG_STRLEN</c>
/// (32 pages) and all arguments and environment strings together at most <c>ARG_MAX</c> (<c>sysconf(_SC_ARG_MAX)</c>).
/// A run whose client could not be started is refused when it is requested, naming the argument, not at launch.
/// </summary>
internal static class ArgumentLimits
{
    private const int LinuxMaxArgumentBytes = 32 * 4096;
    private const int PointerSize = 8;

    // Room for what the kernel adds beside the strings (the program's path, auxiliary vector, alignment).
    private const long Headroom = 16 * 1024;

    /// <summary>The most bytes all argument and environment strings may take, as this system reports it.</summary>
    public static long MaxTotalBytes { get; } = ReadArgMax();

    /// <summary>Null when <paramref name="arguments"/> can start a process with this process's environment plus <paramref name="extraEnvironment"/>; else why not.</summary>
    public static string? Check(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> extraEnvironment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(extraEnvironment);
        long total = Bytes(fileName);
        for (var i = 0; i < arguments.Count; i++)
        {
            var size = Bytes(arguments[i]);
            if (OperatingSystem.IsLinux() && size > LinuxMaxArgumentBytes)
            {
                return $"Argument {i} of the client is {Size(size)}; one argument may be at most {Size(LinuxMaxArgumentBytes)} on this system. Pass large values in a file instead.";
            }

            total += size + PointerSize;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        total += environment.Where(e => e.Value is not null).Sum(e => Bytes($"{e.Key}={e.Value}") + PointerSize);
        return total + Headroom > MaxTotalBytes
            ? $"The client's arguments and environment would take {Size(total)}; this system starts a process with at most {Size(MaxTotalBytes - Headroom)} of them. Pass large values in a file instead."
            : null;
    }

    private static long Bytes(string text) => Encoding.UTF8.GetByteCount(text) + 1;

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{(bytes / 1024d / 1024d).ToString("0.#", CultureInfo.InvariantCulture)} MiB ({bytes.ToString(CultureInfo.InvariantCulture)} bytes)"
        : $"{(bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture)} KiB ({bytes.ToString(CultureInfo.InvariantCulture)} bytes)";

    private static long ReadArgMax()
    {
        if (OperatingSystem.IsWindows())
        {
            // CreateProcess: a command line of at most 32,767 UTF-16 characters.
            return 32_767;
        }

        try
        {
            var value = SysConf(OperatingSystem.IsLinux() ? 0 : 1); // _SC_ARG_MAX: 0 on Linux, 1 on macOS and the BSDs
            return value > 0 ? value : 128 * 1024;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 128 * 1024;
        }
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long SysConf(int name);
}
