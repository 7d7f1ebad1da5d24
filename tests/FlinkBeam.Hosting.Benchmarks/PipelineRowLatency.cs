using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>
/// How soon a run's state change reaches its pipeline row: the real Submitter started by the real orchestrator against
/// the loopback fakes, <see cref="Runs"/> runs of a 300 ms job started through the row's Run command, one after another.
/// For every state of every run, the time the Submitter recorded it (the run record's <c>updatedAt</c>, read from its own
/// run events) is set against the moment the row's snapshot first showed it (Aspire's notification service).
/// </summary>
internal static partial class PipelineRowLatency
{
    private const int Runs = 20;
    private const string Pipeline = "bench";
    private const string ApiKey = "pipeline-row-latency-bench-key";
    private static readonly TimeSpan Goal = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(TextWriter output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        await using var cluster = await LoopbackCluster.StartAsync(ct);
        cluster.WriteCatalog((Pipeline, "succeed.py", 1, ["--run_ms", "300"]));

        // The resources' console logs would otherwise be written here line by line.
        var builder = DistributedApplicationTestingBuilder.Create(
            "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00",
            $"--Parameters:{ResourceNames.Submitter}-api-key={ApiKey}",
            "--Logging:LogLevel:Default=Warning");
        var existing = builder.AddExistingCluster(new ExistingClusterSettings(
            cluster.Flink.RestUrl, new Uri($"http://{cluster.JobServer.HostAndPort}"), [new Uri($"tcp://{cluster.WorkerPool.HostAndPort}")]));
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
            .WithClusterSettings(new FlinkBeamSettings(
                VersionSet.Create(VersionDefaults.Beam, VersionDefaults.Flink, FakePipelineFiles.RealPythonMinor),
                new FlinkClusterSettings { TaskManagers = 1 },
                SdkEnvironment.External,
                AutoRun: []))
            .WithCluster(existing)
            .WithDataDirectory(cluster.DataDirectory)
            .WithPythonInterpreter(() => cluster.Python)
            .WithPipelines(PipelineCatalog.Load(cluster.Catalog));
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);

        if (await WhyNotReadyAsync(app, ct) is { } reason)
        {
            // The Submitter is built and started here like every other part: one that does not come up is a failure.
            output.WriteLine($"Pipeline row latency: FAILED, {reason}");
            return 1;
        }

        var recorded = new ConcurrentDictionary<(string Run, string State), DateTimeOffset>();
        var shown = new ConcurrentDictionary<(string Run, string State), DateTimeOffset>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var submitterSide = RecordAsync(app, recorded, watching.Token);
        var rowSide = WatchRowAsync(app, shown, watching.Token);

        for (var i = 0; i < Runs; i++)
        {
            var run = await app.ResourceCommands.ExecuteCommandAsync(Pipeline, PipelineBuilderExtensions.RunCommand, ct);
            var id = Accepted().Match(run.Message ?? "") is { Success: true } match
                ? match.Groups["id"].Value
                : throw new InvalidOperationException($"The Run command did not start a run: {run.Message}");
            await app.ResourceNotifications.WaitForResourceAsync(
                Pipeline, e => Property(e.Snapshot, "run.id") == id && e.Snapshot.State?.Text is "Succeeded" or "Failed" or "Cancelled" or "TimedOut", ct);
        }

        // The last record's event may still be on its way to the benchmark's own subscription.
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        await watching.CancelAsync();
        await Task.WhenAll(Quietly(submitterSide), Quietly(rowSide));

        var latencies = shown.Where(s => recorded.ContainsKey(s.Key)).Select(s => s.Value - recorded[s.Key]).ToList();
        output.WriteLine(BenchmarkTable.Header);
        output.WriteLine(BenchmarkTable.Row("run state recorded by the Submitter -> shown by its pipeline row", latencies, Goal, onP95: true));
        // A state the Submitter held only for an instant may reach the row already replaced by the next: it is not counted.
        output.WriteLine($"{Runs} runs of a 300 ms job, one after another: {recorded.Count} states recorded by the Submitter, {shown.Count} shown by the row, {latencies.Count} of them both.");
        return 0;
    }

    [GeneratedRegex("^Run (?<id>[0-9a-f]+) of ")]
    private static partial Regex Accepted();

    private static async Task<string?> WhyNotReadyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Submitter, WaitBehavior.StopOnResourceUnavailable, wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or DistributedApplicationException && !cancellationToken.IsCancellationRequested)
        {
            app.ResourceNotifications.TryGetCurrentState(ResourceNames.Submitter, out var submitter);
            return $"the Submitter did not become healthy (it is {submitter?.Snapshot.State?.Text ?? "unknown"}, exit code {submitter?.Snapshot.ExitCode?.ToString() ?? "none"}).";
        }

        wait.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await app.ResourceNotifications.WaitForResourceAsync(Pipeline, e => e.Snapshot.State?.Text == "Idle", wait.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            using var http = Submitter(app);
            using var events = await http.GetAsync("/runs/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return $"the pipeline row was not filled from the Submitter's run events (GET /runs/events answered {(int)events.StatusCode}).";
        }
    }

    /// <summary>When the Submitter recorded each state of each run: its own run events, as any client reads them.</summary>
    private static async Task RecordAsync(DistributedApplication app, ConcurrentDictionary<(string, string), DateTimeOffset> recorded, CancellationToken cancellationToken)
    {
        using var http = Submitter(app);
        using var response = await http.GetAsync("/runs/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(cancellationToken)).EnumerateAsync(cancellationToken))
        {
            if (item.EventType != "pipeline")
            {
                continue;
            }

            using var json = JsonDocument.Parse(item.Data);
            if (json.RootElement.GetProperty("latest") is { ValueKind: JsonValueKind.Object } latest)
            {
                recorded.TryAdd(
                    (latest.GetProperty("id").GetString()!, latest.GetProperty("state").GetString()!),
                    latest.GetProperty("updatedAt").GetDateTimeOffset());
            }
        }
    }

    /// <summary>When the row first showed each state of each run.</summary>
    private static async Task WatchRowAsync(DistributedApplication app, ConcurrentDictionary<(string, string), DateTimeOffset> shown, CancellationToken cancellationToken)
    {
        await foreach (var change in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            var now = DateTimeOffset.UtcNow;
            if (change.Resource.Name == Pipeline && Property(change.Snapshot, "run.id") is { } run && change.Snapshot.State?.Text is { } state)
            {
                shown.TryAdd((run, state), now);
            }
        }
    }

    private static HttpClient Submitter(DistributedApplication app)
    {
        var http = app.CreateHttpClient(ResourceNames.Submitter, EndpointNames.SubmitterHttp);
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    private static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.SingleOrDefault(p => p.Name == name)?.Value as string;

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped once the runs were done.
        }
    }
}
