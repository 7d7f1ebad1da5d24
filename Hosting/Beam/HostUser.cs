using System.Runtime.InteropServices;

namespace FlinkBeam.Hosting;

/// <summary>
/// The user that runs the AppHost, by the numeric ids a Linux container engine gives a bind mount's files. Only Linux has
/// them to give: Docker Desktop (macOS, Windows) maps a container's file owners to the desktop user itself.
/// </summary>
/// <param name="Uid">The user id.</param>
/// <param name="Gid">The primary group id.</param>
internal readonly record struct HostUser(uint Uid, uint Gid)
{
    /// <summary>Whether the user is root.</summary>
    public bool IsRoot => Uid == 0;

    /// <summary>The user of this process on Linux; null elsewhere.</summary>
    public static HostUser? Current() => OperatingSystem.IsLinux() ? new HostUser(NativeMethods.getuid(), NativeMethods.getgid()) : null;

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392 // two parameterless libc calls: no marshalling to generate, no library search to narrow
        [DllImport("libc", ExactSpelling = true)]
        public static extern uint getuid();

        [DllImport("libc", ExactSpelling = true)]
        public static extern uint getgid();
#pragma warning restore SYSLIB1054, CA5392
    }
}
