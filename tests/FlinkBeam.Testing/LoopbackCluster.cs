using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Testing;

/// <summary>
/// A complete loopback "cluster" for running the real Submitter end to end (CLI, service mode, benchmark): the Flink
/// REST fake, the Job API fake, a worker pool fake, a Python with a fake apache_beam of the right version, and a
/// catalog (written with <see cref="WriteCatalog"/>) whose pipelines are the fake clients, which create and follow
/// their job on the Flink fake.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    private LoopbackCluster(string root, FakeFlinkCluster flink, FakeBeamJobServer jobServer, FakeWorkerPool workerPool)
    {
        Root = root;
        Flink = flink;
        JobServer = jobServer;
        WorkerPool = workerPool;
        Python = FakePipelineFiles.CreateFakePython(Path.Combine(root, "py"), VersionDefaults.Beam);
        DataDirectory = Path.Combine(root, "data");
        PidDirectory = Path.Combine(root, "pids");
        Catalog = Path.Combine(root, "catalog", "catalog.json");
        Directory.CreateDirectory(PidDirectory);
    }

    public string Root { get; }

    public FakeFlinkCluster Flink { get; }

    public FakeBeamJobServer JobServer { get; }

    public FakeWorkerPool WorkerPool { get; }

    public string Python { get; }

    /// <summary>The catalog path; the file exists once <see cref="WriteCatalog"/> was called.</summary>
    public string Catalog { get; }

    public string DataDirectory { get; }

    /// <summary>A folder for the pid files clients write (<c>--pids</c>).</summary>
    public string PidDirectory { get; }

    public static async Task<LoopbackCluster> StartAsync(CancellationToken cancellationToken)
    {
        var root = FakePipelineFiles.TempDirectory("submitter-loopback");
        return new LoopbackCluster(
            root,
            await FakeFlinkCluster.StartAsync(cancellationToken),
            await FakeBeamJobServer.StartAsync(cancellationToken),
            await FakeWorkerPool.StartAsync(cancellationToken));
    }

    /// <summary>
    /// Writes the catalog (with only the fake clients beside it); every pipeline's arguments start with
    /// <c>--fake_flink &lt;the Flink fake&gt;</c>, followed by <c>Args</c>.
    /// </summary>
    public void WriteCatalog(params (string Name, string Script, int Parallelism, string[] Args)[] pipelines) =>
        WriteCatalog(pipelines.Select(p => new CatalogEntry(p.Name, p.Script, p.Parallelism, p.Args)).ToList());

    /// <summary>As <see cref="WriteCatalog(ValueTuple{string, string, int, string[]}[])"/>, with every field of an entry.</summary>
    public void WriteCatalog(IReadOnlyList<CatalogEntry> pipelines) =>
        FakePipelineFiles.CreateCatalog(
            Path.GetDirectoryName(Catalog)!,
            pipelines.Select(p => p with { Args = ["--fake_flink", Flink.RestUrl.ToString(), .. p.Args] }).ToList());

    /// <summary>The cluster flags of <c>run</c> and <c>check</c>.</summary>
    public List<string> ClusterFlags() =>
    [
        "--catalog", Catalog,
        "--flink", Flink.RestUrl.ToString(),
        "--job-endpoint", JobServer.HostAndPort,
        "--python", Python,
        "--python-version", FakePipelineFiles.RealPythonMinor,
        "--worker-pool", WorkerPool.HostAndPort,
        "--taskmanagers", "1",
    ];

    /// <summary>
    /// Service-mode settings as the AppHost passes them: <c>Submitter__*</c> variables, and the cluster's endpoints as
    /// Aspire's <c>services__{resource}__{endpoint}__0</c> references (see <see cref="AsCommandLine"/> for flags). Only the Lifetime log (the bound address) and
    /// the Submitter's own logs are kept at Information.
    /// </summary>
    public Dictionary<string, string> ServiceEnvironment() => new(StringComparer.Ordinal)
    {
        ["Submitter__CatalogPath"] = Catalog,
        ["Submitter__DataDirectory"] = DataDirectory,
        ["Submitter__PythonPath"] = Python,
        ["Submitter__PythonVersion"] = FakePipelineFiles.RealPythonMinor,
        ["Submitter__TaskManagers"] = "1",
        ["Submitter__Grace"] = "00:00:05",
        [$"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0"] = Flink.RestUrl.ToString().TrimEnd('/'),
        [$"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0"] = $"http://{JobServer.HostAndPort}",
        [$"services__{ResourceNames.JobServer}__{EndpointNames.ArtifactStaging}__0"] = $"http://{JobServer.HostAndPort}",
        [$"services__{ResourceNames.TaskManager(1)}__{EndpointNames.WorkerPool}__0"] = $"tcp://{WorkerPool.HostAndPort}",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging__LogLevel__FlinkBeam"] = "Information",
    };

    /// <summary>The same settings as command-line configuration (<c>--Key:Sub=value</c>), for a Submitter built in the test process.</summary>
    public static string[] AsCommandLine(IReadOnlyDictionary<string, string> environment) =>
        environment.Select(e => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}").ToArray();

    /// <summary>The pids the clients wrote into <see cref="PidDirectory"/> so far.</summary>
    public IReadOnlyList<int> ClientPids() =>
        Directory.EnumerateFiles(PidDirectory, "*.pid")
            .Select(f => int.TryParse(File.ReadAllText(f).Trim(), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();

    /// <summary>The pid the long_running client of run <paramref name="runId"/> wrote, or null before it did.</summary>
    public int? ClientPid(string runId)
    {
        var file = Path.Combine(PidDirectory, $"{runId}.pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) && pid > 0 ? pid : null;
    }

    /// <summary>Where an <c>echo_args.py</c> client given <c>--out</c> this path writes its arguments.</summary>
    public string EchoFile(string runId) => Path.Combine(Root, $"{runId}.argv.json");

    /// <summary>The argument list an <c>echo_args.py</c> client wrote to <see cref="EchoFile"/> in run <paramref name="runId"/>.</summary>
    public IReadOnlyList<string> EchoedArguments(string runId)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(EchoFile(runId)));
        return json.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Flink.DisposeAsync();
        await JobServer.DisposeAsync();
        await WorkerPool.DisposeAsync();
        FakePipelineFiles.TryDeleteDirectory(Root);
    }
}
