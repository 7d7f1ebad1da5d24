namespace FlinkBeam.Testing;

/// <summary>
/// Real files the Submitter's tests and benchmark need: a fake Python interpreter whose apache_beam reports a chosen
/// version, and catalog folders holding the Python programs in <c>clients/</c>
/// that play Beam clients (copied next to every assembly that references this project).
/// </summary>
public static class FakePipelineFiles
{
    /// <summary>The fake Beam clients (<c>succeed.py</c>, <c>hang_after_done.py</c>, ...) in the build output.</summary>
    public static string ClientsDirectory => Path.Combine(AppContext.BaseDirectory, "clients");

    /// <summary>The real python3 on PATH.</summary>
    public static string RealPython { get; } = FindOnPath("python3")
        ?? throw new InvalidOperationException("python3 is not on PATH; the Submitter tests and benchmark need it.");

    /// <summary>The Python minor version of <see cref="RealPython"/>, e.g. 3.11.</summary>
    public static string RealPythonMinor { get; } = ReadPythonMinor();

    /// <summary>
    /// A directory with an executable <c>python</c> that runs the real python3 with a fake <c>apache_beam</c> package
    /// (reporting <paramref name="beamVersion"/>) on its path; none when <paramref name="beamVersion"/> is null.
    /// It also appends one line per start to <c>starts.log</c>, so tests can count interpreter starts.
    /// </summary>
    public static string CreateFakePython(string root, string? beamVersion)
    {
        var site = Path.Combine(root, "site");
        Directory.CreateDirectory(site);
        if (beamVersion is not null)
        {
            var package = Path.Combine(site, "apache_beam");
            Directory.CreateDirectory(package);
            File.WriteAllText(Path.Combine(package, "__init__.py"), $"__version__ = \"{beamVersion}\"\n");
        }

        // A shell script, not a Python one: every client start would otherwise pay for two interpreter starts.
        var interpreter = Path.Combine(root, "python");
        var log = Path.Combine(root, "starts.log");
        File.WriteAllText(interpreter, $"""
            #!/bin/sh
            printf '%s\n' "$*" >> {ShellString(log)}
            PYTHONPATH={ShellString(site)} exec {ShellString(RealPython)} "$@"

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(interpreter, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return interpreter;
    }

    public static int CountStarts(string interpreter)
    {
        var log = Path.Combine(Path.GetDirectoryName(interpreter)!, "starts.log");
        return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
    }

    /// <summary>
    /// A catalog folder holding only the test clients and a catalog.json listing <paramref name="pipelines"/>
    /// (name, client script, parallelism, catalog args), as a user's own folder of pipelines would. Returns the catalog path.
    /// </summary>
    public static string CreateCatalog(string root, params (string Name, string Script, int Parallelism, string[] Args)[] pipelines) =>
        CreateCatalog(root, pipelines.Select(p => new CatalogEntry(p.Name, p.Script, p.Parallelism, p.Args)).ToList());

    /// <summary>As <see cref="CreateCatalog(string, ValueTuple{string, string, int, string[]}[])"/>, with every field of an entry.</summary>
    public static string CreateCatalog(string root, IReadOnlyList<CatalogEntry> pipelines)
    {
        Directory.CreateDirectory(root);
        foreach (var client in Directory.EnumerateFiles(ClientsDirectory, "*.py"))
        {
            File.Copy(client, Path.Combine(root, Path.GetFileName(client)), overwrite: true);
        }

        var entries = pipelines.Select(p =>
        {
            var entry = new Dictionary<string, object>
            {
                ["name"] = p.Name,
                ["script"] = p.Script,
                ["description"] = $"test pipeline running {p.Script}",
                ["args"] = p.Args,
                ["parallelism"] = p.Parallelism,
            };
            if (p.Overridable is { } overridable)
            {
                entry["overridable"] = overridable;
            }

            return entry;
        });
        var catalog = Path.Combine(root, "catalog.json");
        File.WriteAllText(catalog, System.Text.Json.JsonSerializer.Serialize(new { pipelines = entries }));
        return catalog;
    }

    /// <summary>A loopback port with nothing listening on it (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string TempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a temporary folder as far as it can: a client killed a moment ago may still hold a file in it.</summary>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // The system cleans up its temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string ShellString(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string ReadPythonMinor()
    {
        var start = new System.Diagnostics.ProcessStartInfo(RealPython) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')");
        using var process = System.Diagnostics.Process.Start(start)!;
        var minor = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return minor;
    }
}

/// <summary>One pipeline of a test catalog: its name, the client script it runs, its parallelism, its own arguments and the options callers may set.</summary>
public sealed record CatalogEntry(string Name, string Script, int Parallelism, string[] Args, string[]? Overridable = null);
