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

    /// <summary>
    /// Service-mode settings as the AppHost passes them: <c>Submitter__*</c> variables, and the cluster's endpoints as
    /// Aspire's <c>services__{resource}__{endpoint}__0</c> references. Only the Lifetime log (the bound address) and
    /// the Submitter's own logs are kept at Information.
    /// </summary>
    public Dictionary<string, string> ServiceEnvironment() => new(StringComparer.Ordinal)
    {
        ["Submitter__CatalogPath"] = Catalog,
        ["Submitter__DataDirectory"] = DataDirectory,
        ["Submitter__PythonPath"] = Python,
        ["Submitter__PythonVersion"] = GateTestFiles.RealPythonMinor,
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

    /// <summary>The pids the long_running clients wrote so far.</summary>
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
