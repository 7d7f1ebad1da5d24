namespace FlinkBeam.Hosting;

/// <summary>
/// A Python virtual environment's folder as <c>python -m venv</c> leaves it. Aspire's Python integration makes the venv
/// only when its folder is missing, so a creation that was stopped half-way (the first <c>dotnet run</c> ended while
/// <c>ensurepip</c> ran) would otherwise leave a venv without pip for good, and its installer failing to start.
/// </summary>
public static class VirtualEnvironmentFolder
{
    /// <summary>
    /// True when <paramref name="path"/> is a venv whose creation did not finish: <c>pyvenv.cfg</c>, which
    /// <c>python -m venv</c> writes first, is there, and the activation script, which it writes after pip, is not.
    /// </summary>
    public static bool IsUnfinished(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var activate = OperatingSystem.IsWindows()
            ? Path.Combine(path, "Scripts", "activate.bat")
            : Path.Combine(path, "bin", "activate");
        return File.Exists(Path.Combine(path, "pyvenv.cfg")) && !File.Exists(activate);
    }

    /// <summary>Deletes <paramref name="path"/> when <see cref="IsUnfinished"/> says so, so that it is made again; returns whether it did.</summary>
    /// <exception cref="IOException">The folder could not be deleted; the message names it.</exception>
    public static bool RemoveIfUnfinished(string path)
    {
        if (!IsUnfinished(path))
        {
            return false;
        }

        try
        {
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"The virtual environment '{path}' was left unfinished (no activation script) and could not be removed: {e.Message} Delete it, and it is made again.", e);
        }
    }
}
