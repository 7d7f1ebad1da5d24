using System.Reflection;

namespace FlinkBeam.AppHost;

/// <summary>What the AppHost's build recorded about the projects it built (target RecordBuildOutputs in FlinkBeam.AppHost.csproj).</summary>
internal static class BuildOutputs
{
    /// <summary>The Submitter's built assembly.</summary>
    public static string SubmitterAssembly => Recorded("FlinkBeam.SubmitterAssembly");

    private static string Recorded(string key) =>
        typeof(BuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"The AppHost's build recorded no {key} (target RecordBuildOutputs in FlinkBeam.AppHost.csproj): build the AppHost again.");
}
