using System.Net.Http.Headers;
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
/// library's extensions to the loopback fake cluster as an existing cluster: Flink REST, the Job API and one worker pool.
/// Its catalog runs fake Beam clients, each a pipeline row beneath it: <c>wordcount</c> succeeds, <c>long_running</c>
/// (row <c>long-running</c>) runs until cancelled.
/// </summary>
internal sealed class LoopbackAspireApp : IAsyncDisposable
{
    public const string ApiKey = "loopback-test-key";

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

    /// <summary>The pipeline rows beneath the Submitter.</summary>
    public static IReadOnlyList<string> PipelineRows { get; } = ["wordcount", "long-running"];

    public static async Task<LoopbackAspireApp> StartAsync(bool dashboard, CancellationToken cancellationToken)
    {
        var cluster = await LoopbackCluster.StartAsync(cancellationToken);
        try
        {
            cluster.WriteCatalog(
                ("wordcount", "succeed.py", 1, []),
                ("long_running", "long_running.py", 1, ["--pids", Path.Combine(cluster.PidDirectory, "{runId}.pid")]));
            var catalog = PipelineCatalog.Load(cluster.Catalog);

            // No container engine answers here: do not wait for one. Nothing in this model is a container.
            string[] args = ["--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00", $"--Parameters:{ResourceNames.Submitter}-api-key={ApiKey}"];
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
                .WithCluster(existing)
                .WithDataDirectory(cluster.DataDirectory)
                .WithPythonInterpreter(() => cluster.Python)
                .WithEnvironment(SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.Grace), "00:00:05")
                .WithPipelines(catalog);

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

    /// <summary>The Submitter's HTTP API, at the address the orchestrator gave it, with its key.</summary>
    public HttpClient Submitter()
    {
        var http = App.CreateHttpClient(ResourceNames.Submitter, EndpointNames.SubmitterHttp);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    /// <summary>The Submitter's history of <paramref name="pipeline"/>, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> RunsAsync(string pipeline, CancellationToken cancellationToken)
    {
        using var http = Submitter();
        var runs = await http.GetFromJsonAsync<JsonElement>($"/runs?pipeline={Uri.EscapeDataString(pipeline)}", cancellationToken);
        return runs.EnumerateArray().ToList();
    }

    /// <summary>Runs a dashboard command of a resource through Aspire's command service, with the Run command's extra arguments.</summary>
    public Task<ExecuteCommandResult> CommandAsync(string resource, string command, CancellationToken cancellationToken, string? args = null) =>
        args is null
            ? App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken)
            : App.ResourceCommands.ExecuteCommandAsync(
                resource,
                command,
                new InteractionInputCollection([new InteractionInput { Name = "args", InputType = InputType.Text, Value = args }]),
                cancellationToken);

    /// <summary>The row of <paramref name="resource"/> once <paramref name="until"/> holds (at once when it holds already).</summary>
    public async Task<CustomResourceSnapshot> RowAsync(string resource, Func<CustomResourceSnapshot, bool> until, CancellationToken cancellationToken) =>
        (await App.ResourceNotifications.WaitForResourceAsync(resource, e => until(e.Snapshot), cancellationToken)).Snapshot;

    /// <summary>Every state <paramref name="resource"/>'s row shows from now until <paramref name="last"/> holds.</summary>
    public async Task<IReadOnlyList<string>> StatesUntilAsync(string resource, Func<string, bool> last, CancellationToken cancellationToken)
    {
        var states = new List<string>();
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.Resource.Name == resource && change.Snapshot.State?.Text is { } state && (states.Count == 0 || states[^1] != state))
            {
                states.Add(state);
                if (last(state))
                {
                    break;
                }
            }
        }

        return states;
    }

    public static bool IsTerminal(string state) => state is "Succeeded" or "Failed" or "Cancelled" or "TimedOut";

    public static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.SingleOrDefault(p => p.Name == name)?.Value as string;

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
