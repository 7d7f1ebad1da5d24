using FlinkBeam.Cluster;

namespace FlinkBeam.Testing;

/// <summary>
/// A complete loopback "cluster" for running the real Submitter end to end (CLI, service mode, benchmark): the Flink
/// REST fake, the Job API fake, an HTTP/2 worker pool, a Python with a fake apache_beam of the right version, and a
/// catalog (written with <see cref="WriteCatalog"/>) whose pipelines are the fake clients, which create and follow
/// their job on the Flink fake.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    private LoopbackCluster(string root, FakeFlinkCluster flink, FakeBeamJobServer jobServer, FakeBeamJobServer workerPool)
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

    public FakeBeamJobServer WorkerPool { get; }

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
            await FakeBeamJobServer.StartAsync(cancellationToken));
    }

    /// <summary>
    /// Writes the catalog (with env_check.py and the fake clients beside it); every pipeline's arguments start with
    /// <c>--fake_flink &lt;the Flink fake&gt;</c>, followed by <c>Args</c>.
    /// </summary>
    public void WriteCatalog(params (string Name, string Script, int Parallelism, string[] Args)[] pipelines) =>
        FakePipelineFiles.CreateCatalog(
            Path.GetDirectoryName(Catalog)!,
            pipelines.Select(p => p with { Args = ["--fake_flink", Flink.RestUrl.ToString(), .. p.Args] }).ToArray());

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

    /// <summary>Service-mode settings as command-line configuration (<c>--Submitter:Key=value</c>), listening on <paramref name="url"/>.</summary>
    public List<string> ServiceSettings(bool endpointsFromServices = false, string url = "http://127.0.0.1:0")
    {
        var settings = new List<string>
        {
            $"--urls={url}",
            $"--Submitter:CatalogPath={Catalog}",
            $"--Submitter:DataDirectory={DataDirectory}",
            $"--Submitter:PythonPath={Python}",
            $"--Submitter:PythonVersion={FakePipelineFiles.RealPythonMinor}",
            "--Submitter:TaskManagers=1",
            "--Submitter:Grace=00:00:05",
        };
        if (endpointsFromServices)
        {
            settings.Add($"--services:{ResourceNames.JobManager}:{EndpointNames.FlinkRest}:0={Flink.RestUrl.ToString().TrimEnd('/')}");
            settings.Add($"--services:{ResourceNames.JobServer}:{EndpointNames.JobService}:0=http://{JobServer.HostAndPort}");
            settings.Add($"--services:{ResourceNames.TaskManager(1)}:{EndpointNames.WorkerPool}:0=tcp://{WorkerPool.HostAndPort}");
        }
        else
        {
            settings.Add($"--Submitter:FlinkRestUrl={Flink.RestUrl}");
            settings.Add($"--Submitter:JobEndpoint={JobServer.HostAndPort}");
            settings.Add($"--Submitter:WorkerPools:0={WorkerPool.HostAndPort}");
        }

        return settings;
    }

    /// <summary>The pids the clients wrote into <see cref="PidDirectory"/> so far.</summary>
    public IReadOnlyList<int> ClientPids() =>
        Directory.EnumerateFiles(PidDirectory, "*.pid")
            .Select(f => int.TryParse(File.ReadAllText(f).Trim(), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await Flink.DisposeAsync();
        await JobServer.DisposeAsync();
        await WorkerPool.DisposeAsync();
        FakePipelineFiles.TryDeleteDirectory(Root);
    }
}
