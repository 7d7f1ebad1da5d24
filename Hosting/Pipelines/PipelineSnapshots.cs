using System.Collections.Immutable;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>
/// A pipeline's row in the dashboard, decided from what is known of it (<see cref="PipelineView"/>): its state is its
/// newest run's, in the Submitter's words, styled as the dashboard styles states; its properties are the run's and the
/// pipeline's figures; its link is the run's Flink job in the Flink web UI. No I/O: the follower publishes the result.
/// </summary>
internal static class PipelineSnapshots
{
    /// <summary>The resource type the dashboard shows.</summary>
    public const string ResourceType = "Pipeline";

    /// <summary>The state before any run.</summary>
    public const string Idle = "Idle";

    /// <summary>The name of the link to the newest run's Flink job.</summary>
    public const string FlinkJobUrl = "flink-job";

    // What the catalog says stays for good; what the runs say is replaced with every update. Both come after the
    // dashboard's own properties of a resource, the catalog's first, in the order written here.
    private static readonly string[] RunPrefixes = ["runs.", "run.", "metrics."];
    private const int CatalogOrder = 100;
    private const int RunOrder = 110;

    /// <summary>The row before the Submitter has said anything: Waiting, with what the catalog says.</summary>
    public static CustomResourceSnapshot Initial(PipelineDefinition definition, PipelineCatalog catalog) => new()
    {
        ResourceType = ResourceType,
        State = KnownResourceStates.Waiting,
        Properties =
        [
            new(CustomResourceKnownProperties.Source, Path.GetRelativePath(catalog.Directory, definition.ScriptPath)),
            Property("pipeline.name", "Pipeline", definition.Name, CatalogOrder),
            .. definition.Description is { } description ? [Property("pipeline.description", "Description", description, CatalogOrder + 1)] : Array.Empty<ResourcePropertySnapshot>(),
        ],
    };

    /// <summary>
    /// The dashboard's style of a run state. Running has none: the dashboard then shows the look of every running resource
    /// (a green check, as the Submitter's own row). Runs on their way to Flink (Pending, WaitingForCluster, Launching,
    /// Submitted) and Idle are <c>info</c>; Succeeded is <c>success</c>; Failed and TimedOut are <c>error</c>; Cancelled
    /// is <c>warning</c> (ended without a result). A state this library does not know has none.
    /// </summary>
    public static string? Style(string state) => state switch
    {
        "Pending" or "WaitingForCluster" or "Launching" or "Submitted" or Idle => KnownResourceStateStyles.Info,
        "Succeeded" => KnownResourceStateStyles.Success,
        "Failed" or "TimedOut" => KnownResourceStateStyles.Error,
        "Cancelled" => KnownResourceStateStyles.Warn,
        _ => null,
    };

    /// <summary>
    /// <paramref name="previous"/> with what <paramref name="view"/> says: state, start and stop times, this library's
    /// properties and the job link; what others put on the row (Aspire's own properties) stays.
    /// </summary>
    /// <param name="previous">The row as it is.</param>
    /// <param name="view">What is known of the pipeline.</param>
    /// <param name="flinkRest">Flink REST as the host reaches it, whose web UI shows the job; null when unknown.</param>
    /// <param name="flinkVersion">The cluster's Flink version, when known.</param>
    public static CustomResourceSnapshot Apply(CustomResourceSnapshot previous, PipelineView view, Uri? flinkRest, MinorVersion? flinkVersion)
    {
        var run = view.Latest;
        var state = !view.Known ? KnownResourceStates.Waiting : run?.State ?? Idle;
        return previous with
        {
            State = new ResourceStateSnapshot(state, view.Known ? Style(state) : null),
            StartTimeStamp = run?.CreatedAt.UtcDateTime,
            StopTimeStamp = run?.FinishedAt?.UtcDateTime,
            Properties = [.. previous.Properties.Where(p => !IsRunProperty(p.Name)), .. RunProperties(view)],
            Urls = [.. previous.Urls.Where(u => u.Name != FlinkJobUrl), .. JobLink(run, flinkRest, flinkVersion)],
        };
    }

    private static IEnumerable<UrlSnapshot> JobLink(RunView? run, Uri? flinkRest, MinorVersion? flinkVersion)
    {
        if (run?.FlinkJobId is { Length: > 0 } jobId && flinkRest is not null)
        {
            yield return new UrlSnapshot(FlinkJobUrl, FlinkJobPage.For(flinkRest, jobId, run.IsTerminal, flinkVersion).ToString(), IsInternal: false)
            {
                DisplayProperties = new UrlDisplayPropertiesSnapshot("Flink job"),
            };
        }
    }

    /// <summary>Whether the property is one of those <see cref="Apply"/> writes from the runs.</summary>
    public static bool IsRunProperty(string name) => RunPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static List<ResourcePropertySnapshot> RunProperties(PipelineView view)
    {
        var properties = new List<ResourcePropertySnapshot>();
        if (view.Known)
        {
            properties.Add(Property("runs.count", "Runs", PipelineText.Count(view.Runs)));
            properties.Add(Property("runs.failed", "Failed runs", PipelineText.Count(view.Failed)));
        }

        if (view.Latest is { } run)
        {
            properties.Add(Property("run.id", "Run", run.Id));
            Add(properties, "run.job-name", "Job name", run.JobName);
            Add(properties, "run.flink-job-id", "Flink job", run.FlinkJobId);
            properties.Add(Property("run.started", "Started", PipelineText.Time(run.CreatedAt)));
            if (run.FinishedAt is { } finished)
            {
                properties.Add(Property("run.ended", "Ended", PipelineText.Time(finished)));
                properties.Add(Property("run.duration", "Duration", PipelineText.Duration(finished - run.CreatedAt)));
            }

            properties.Add(Property("run.attempts", "Attempts", run.Attempts.ToString(CultureInfo.InvariantCulture)));
            Add(properties, "run.failure-reason", "Failure reason", run.FailureReason);
            Add(properties, "run.error", "Error", run.Error);
            if (run.Warnings is { Count: > 0 } warnings)
            {
                properties.Add(Property("run.warnings", "Warnings", string.Join(Environment.NewLine, warnings)));
            }
        }

        if (view.Metrics is { } metrics)
        {
            properties.AddRange(MetricProperties(metrics));
        }

        return properties.Select((p, i) => p with { SortOrder = RunOrder + i }).ToList();
    }

    /// <summary>The Flink job's figures: restarts, checkpoints, and per vertex records in and out, rate, backpressure and busy time.</summary>
    private static IEnumerable<ResourcePropertySnapshot> MetricProperties(MetricsEvent metrics)
    {
        yield return Property("metrics.at", "Metrics at", PipelineText.Time(metrics.At));
        if (metrics.NumRestarts is { } restarts)
        {
            yield return Property("metrics.restarts", "Restarts", PipelineText.Count(restarts));
        }

        if (metrics.Checkpoints is { } checkpoints)
        {
            yield return Property("metrics.checkpoints", "Checkpoints",
                $"{PipelineText.Count(checkpoints.Completed ?? 0)} completed, {PipelineText.Count(checkpoints.Failed ?? 0)} failed");
            var last = new[]
            {
                checkpoints.LastDurationMs is { } ms ? PipelineText.Duration(TimeSpan.FromMilliseconds(ms)) : null,
                checkpoints.LastSizeBytes is { } bytes ? PipelineText.Size(bytes) : null,
            }.OfType<string>().ToList();
            if (last.Count > 0)
            {
                yield return Property("metrics.last-checkpoint", "Last checkpoint", string.Join(", ", last));
            }
        }

        var vertices = metrics.Vertices ?? [];
        if (vertices.Where(v => v.BackPressuredTimeMsPerSecond is not null).MaxBy(v => v.BackPressuredTimeMsPerSecond) is { } pressed)
        {
            yield return Property("metrics.backpressure", "Highest backpressure",
                $"{PipelineText.Rate(pressed.BackPressuredTimeMsPerSecond!.Value)} ms/s in {pressed.Name ?? pressed.Id}");
        }

        for (var i = 0; i < vertices.Count; i++)
        {
            var vertex = vertices[i];
            var figures = new[]
            {
                vertex.NumRecordsIn is { } inCount ? $"in {PipelineText.Count(inCount)}" : null,
                vertex.NumRecordsOut is { } outCount ? $"out {PipelineText.Count(outCount)}" : null,
                vertex.NumRecordsOutPerSecond is { } rate ? $"{PipelineText.Rate(rate)} out/s" : null,
                vertex.BackPressuredTimeMsPerSecond is { } pressure ? $"backpressured {PipelineText.Rate(pressure)} ms/s" : null,
                vertex.BusyTimeMsPerSecond is { } busy ? $"busy {PipelineText.Rate(busy)} ms/s" : null,
            }.OfType<string>();
            yield return Property(
                string.Create(CultureInfo.InvariantCulture, $"metrics.vertex.{i + 1}"),
                $"Vertex {i + 1}: {vertex.Name ?? vertex.Id}",
                string.Join(" · ", figures) is { Length: > 0 } text ? text : "no figures");
        }
    }

    private static void Add(List<ResourcePropertySnapshot> properties, string name, string displayName, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties.Add(Property(name, displayName, value));
        }
    }

    // Highlighted: the dashboard shows these among a resource's details without "Show all".
    private static ResourcePropertySnapshot Property(string name, string displayName, string value, int? order = null) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true, SortOrder = order };
}
