using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The Submitter started by the real orchestrator (the testing builder: DCP, and the dashboard when asked), wired by the
/// library's extensions to the loopback fake cluster as external services: Flink REST, the Job API and one worker pool.
/// Its catalog runs fake Beam clients: <c>wordcount</c> succeeds, <c>forever</c> runs until cancelled.
/// </summary>
internal sealed class LoopbackAspireApp : IAsyncDisposable
{
    private static readonly string[] TerminalStates = ["Succeeded", "Failed", "Cancelled", "TimedOut"];

    private LoopbackAspireApp(LoopbackCluster cluster, DistributedApplication app)
    {
        Cluster = cluster;
        App = app;
    }

    public LoopbackCluster Cluster { get; }

    public DistributedApplication App { get; }

    /// <summary>Names of the resources the model has, as the dashboard lists them.</summary>
    public static IReadOnlyList<string> ResourceNamesShown { get; } =
        [ResourceNames.Submitter, ResourceNames.JobManager, ResourceNames.JobServer, "flink-taskmanager-1-workerpool"];

    public static async Task<LoopbackAspireApp> StartAsync(bool dashboard, CancellationToken cancellationToken)
    {
        var cluster = await LoopbackCluster.StartAsync(cancellationToken);
        try
        {
            cluster.WriteCatalog(
                ("wordcount", "succeed.py", 1, []),
                ("forever", "long_running.py", 1, ["--pids", Path.Combine(cluster.PidDirectory, "{runId}.pid")]));
            var catalog = PipelineCatalog.Load(cluster.Catalog);

            // No container engine answers here: do not wait for one. Nothing in this model is a container.
            string[] args = ["--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00"];
            var builder = dashboard
                ? DistributedApplicationTestingBuilder.Create(new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, args)
                : DistributedApplicationTestingBuilder.Create(args);

            var existing = builder.AddExistingCluster(new ExistingClusterSettings(
                cluster.Flink.RestUrl,
                new Uri($"http://{cluster.JobServer.HostAndPort}"),
                [new Uri($"tcp://{cluster.WorkerPool.HostAndPort}")]));
            var settings = new FlinkBeamSettings(
                VersionSet.Create(VersionDefaults.Beam, VersionDefaults.Flink, FakePipelineFiles.RealPythonMinor),
                new FlinkClusterSettings { TaskManagers = 1 },
                SdkEnvironment.External,
                AutoRun: []);
            builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter)
                .WithClusterSettings(settings)
                .WithCatalog(catalog)
                .WithRunCommands(catalog)
                .WithDataDirectory(cluster.DataDirectory)
                .WithPythonInterpreter(() => cluster.Python)
                .WithExistingCluster(existing)
                .WithEnvironment("Submitter__Grace", "00:00:05");

            var app = await builder.BuildAsync(cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
                return new LoopbackAspireApp(cluster, app);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The Submitter's HTTP API, at the address the orchestrator gave it.</summary>
    public HttpClient Submitter() => App.CreateHttpClient(ResourceNames.Submitter, EndpointNames.SubmitterHttp);

    /// <summary>The one run of <paramref name="pipeline"/> in the Submitter's history, once it has one.</summary>
    public async Task<JsonElement> WaitForRunAsync(string pipeline, Func<string, bool> state, CancellationToken cancellationToken)
    {
        using var http = Submitter();
        JsonElement last = default;
        while (true)
        {
            var runs = await http.GetFromJsonAsync<JsonElement>("/runs", cancellationToken);
            var run = runs.EnumerateArray().Where(r => r.GetProperty("pipeline").GetString() == pipeline).ToList();
            if (run.Count == 1)
            {
                last = run[0];
                if (state(last.GetProperty("state").GetString() ?? string.Empty))
                {
                    return last;
                }
            }

            Assert.True(run.Count <= 1, $"more than one {pipeline} run: {runs}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    public static bool IsTerminal(string state) => TerminalStates.Contains(state);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
