using FlinkBeam.Cluster;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// A complete loopback "cluster" for end-to-end tests of the CLI and of service mode: the Flink REST fake, the Job API
/// fake, an HTTP/2 worker pool, a Python with a fake apache_beam of the right version, and a catalog whose pipelines
/// are the test clients (they create and follow their job on the Flink fake).
/// </summary>
internal sealed class CliTestCluster : IAsyncDisposable
{
    private CliTestCluster(string root, FakeFlinkCluster flink, FakeBeamJobServer jobServer, FakeBeamJobServer workerPool)
    {
        Root = root;
        Flink = flink;
        JobServer = jobServer;
        WorkerPool = workerPool;
        Python = GateTestFiles.CreateFakePython(Path.Combine(root, "py"), VersionDefaults.Beam);
        DataDirectory = Path.Combine(root, "data");
        PidDirectory = Path.Combine(root, "pids");
        Directory.CreateDirectory(PidDirectory);
        var fake = flink.RestUrl.ToString();
        Catalog = GateTestFiles.CreateCatalog(Path.Combine(root, "catalog"),
            ("ok", "succeed.py", 1, ["--fake_flink", fake]),
            ("fail", "fail.py", 1, ["--fake_flink", fake]),
            ("forever", "long_running.py", 1, ["--fake_flink", fake, "--pids", Path.Combine(PidDirectory, "{runId}.pid")]),
            ("wide", "succeed.py", 4, ["--fake_flink", fake]),
            ("echo", "echo_args.py", 1, ["--fake_flink", fake, "--out", Path.Combine(root, "{runId}.argv.json")]));
    }

    public string Root { get; }

    public FakeFlinkCluster Flink { get; }

    public FakeBeamJobServer JobServer { get; }

    public FakeBeamJobServer WorkerPool { get; }

    public string Python { get; }

    public string Catalog { get; }

    public string DataDirectory { get; }

    public string PidDirectory { get; }

    public static async Task<CliTestCluster> StartAsync(CancellationToken cancellationToken)
    {
        var root = GateTestFiles.TempDirectory("submitter-e2e");
        return new CliTestCluster(
            root,
            await FakeFlinkCluster.StartAsync(cancellationToken),
            await FakeBeamJobServer.StartAsync(cancellationToken),
            await FakeBeamJobServer.StartAsync(cancellationToken));
    }

    /// <summary>The cluster flags of <c>run</c> and <c>check</c>.</summary>
    public List<string> ClusterFlags() =>
    [
        "--catalog", Catalog,
        "--flink", Flink.RestUrl.ToString(),
        "--job-endpoint", JobServer.HostAndPort,
        "--python", Python,
        "--python-version", GateTestFiles.RealPythonMinor,
        "--worker-pool", WorkerPool.HostAndPort,
        "--taskmanagers", "1",
    ];

    /// <summary>Service-mode settings as command-line configuration (<c>--Submitter:Key=value</c>).</summary>
    public List<string> ServiceSettings(bool endpointsFromServices = false)
    {
        var settings = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Submitter:CatalogPath={Catalog}",
            $"--Submitter:DataDirectory={DataDirectory}",
            $"--Submitter:PythonPath={Python}",
            $"--Submitter:PythonVersion={GateTestFiles.RealPythonMinor}",
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

    /// <summary>The pids the long_running clients wrote so far.</summary>
    public IReadOnlyList<int> ClientPids() =>
        Directory.EnumerateFiles(PidDirectory, "*.pid")
            .Select(f => int.TryParse(File.ReadAllText(f).Trim(), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();

    /// <summary>The argument list the echo pipeline's client received in run <paramref name="runId"/>.</summary>
    public IReadOnlyList<string> EchoedArguments(string runId)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, $"{runId}.argv.json")));
        return json.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Flink.DisposeAsync();
        await JobServer.DisposeAsync();
        await WorkerPool.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A client killed a moment ago may still hold a file; the temp folder is cleaned up by the system.
        }
    }
}
