namespace FlinkBeam.Cluster.Catalog;

/// <summary>Resolves symbolic links component by component so a path can be checked against a folder it must stay in.</summary>
internal static class PathSafety
{
    private const int MaxLinkHops = 40;

    private static StringComparison Comparison =>
        OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>True when <paramref name="path"/> is strictly below <paramref name="folder"/> (both absolute and normalized).</summary>
    public static bool IsInside(string path, string folder)
    {
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.Length > prefix.Length && path.StartsWith(prefix, Comparison);
    }

    /// <summary>
    /// The absolute path with every symbolic link resolved, including links in the middle of the path
    /// (<see cref="FileSystemInfo.ResolveLinkTarget"/> only resolves the last component). Components that do not exist are kept as written.
    /// </summary>
    /// <exception cref="IOException">A link loop or a chain longer than 40 links.</exception>
    public static string RealPath(string path)
    {
        var hops = 0;
        var pending = Path.GetFullPath(path);
        while (true)
        {
            var root = Path.GetPathRoot(pending)!;
            var parts = pending[root.Length..].Split(
                [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? restart = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Combine(current, parts[i]);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                var target = info.LinkTarget;
                if (target is null)
                {
                    current = next;
                    continue;
                }

                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"'{path}' goes through more than {MaxLinkHops} symbolic links (a loop?).");
                }

                // A relative link target is relative to the folder holding the link, which is already resolved.
                var resolved = Path.GetFullPath(target, current);
                restart = Path.Combine([resolved, .. parts[(i + 1)..]]);
                break;
            }

            if (restart is null)
            {
                return current;
            }

            pending = restart;
        }
    }
}
