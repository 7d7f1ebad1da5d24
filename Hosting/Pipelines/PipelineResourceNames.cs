namespace FlinkBeam.Hosting;

/// <summary>
/// The dashboard resource of each catalog pipeline is named after it with <c>_</c> turned into <c>-</c>
/// (<c>long_running</c> → <c>long-running</c>). The names are checked against each other, against the resources the
/// application already has (resource names are case-insensitive) and against Aspire's rule of no two hyphens in a row.
/// </summary>
internal static class PipelineResourceNames
{
    /// <summary>The resource name of <paramref name="pipeline"/>.</summary>
    public static string For(string pipeline) => pipeline.Replace('_', '-');

    /// <summary>
    /// Each pipeline with its resource name, or the one sentence that names the first conflict and what it conflicts with.
    /// </summary>
    /// <param name="pipelines">The catalog's pipeline names, in catalog order.</param>
    /// <param name="resources">The names of the application's other resources.</param>
    /// <param name="catalogPath">The catalog, for the sentence.</param>
    public static (IReadOnlyList<(string Pipeline, string Resource)> Names, string? Problem) Plan(
        IEnumerable<string> pipelines, IEnumerable<string> resources, string catalogPath)
    {
        var taken = resources.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var planned = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<(string, string)>();
        foreach (var pipeline in pipelines)
        {
            var resource = For(pipeline);
            if (resource.Contains("--", StringComparison.Ordinal))
            {
                return ([], $"Pipeline '{pipeline}' in {catalogPath} would be the dashboard resource '{resource}', but Aspire refuses two hyphens in a row in a resource name; rename the pipeline.");
            }

            if (taken.TryGetValue(resource, out var other))
            {
                return ([], $"Pipeline '{pipeline}' in {catalogPath} would be the dashboard resource '{resource}', which is already the name of the resource '{other}'; rename the pipeline.");
            }

            if (planned.TryGetValue(resource, out var first))
            {
                return ([], $"Pipelines '{first}' and '{pipeline}' in {catalogPath} would both be the dashboard resource '{resource}'; rename one of them.");
            }

            planned.Add(resource, pipeline);
            names.Add((pipeline, resource));
        }

        return (names, null);
    }
}
