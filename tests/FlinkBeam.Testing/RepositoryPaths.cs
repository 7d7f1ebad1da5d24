namespace FlinkBeam.Testing;

/// <summary>Files and folders of the repository that tests and benchmarks read, found from the binary upwards.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder of FlinkBeam.Aspire.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string AppHost => Path.Combine(Root, "AppHost");

    public static string Pipelines => Path.Combine(Root, "pipelines");

    public static string Catalog => Path.Combine(Pipelines, "catalog.json");

    public static string Data => Path.Combine(Pipelines, "data");

    public static string Outputs => Path.Combine(Root, "outputs");

    public static string TaskManagerEntrypoint => Path.Combine(AppHost, "containers", "taskmanager", "entrypoint.sh");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FlinkBeam.Aspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FlinkBeam.Aspire.sln above {AppContext.BaseDirectory}.");
    }
}
