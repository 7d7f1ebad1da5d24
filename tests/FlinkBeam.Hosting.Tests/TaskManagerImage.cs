using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>The TaskManager image's build context in the repository and beside the library's assembly.</summary>
internal static class TaskManagerImage
{
    public static string SourceContext => Path.Combine(RepositoryPaths.Root, "Hosting", "containers", "taskmanager");

    public static string Entrypoint => Path.Combine(SourceContext, "entrypoint.sh");
}
