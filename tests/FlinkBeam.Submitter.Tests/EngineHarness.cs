using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Ownership;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Supervision;
using FlinkBeam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// A real <see cref="RunManager"/>, built the one way the Submitter builds it (<c>AddSubmitterEngine</c>), over a
/// temporary catalog folder (holding the Python test clients), a temporary data directory, a loopback
/// <see cref="FakeFlinkCluster"/> and <see cref="FakeBeamJobServer"/>, a test gate and a log capture. Timings are short
/// so runs end quickly.
/// </summary>
internal sealed partial class EngineHarness : IAsyncDisposable
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<RunManager, ServiceProvider> _engines = [];

    private EngineHarness(string root, FakeFlinkCluster flink, FakeBeamJobServer beam)
    {
        Root = root;
        Flink = flink;
        Beam = beam;
        CatalogFolder = Path.Combine(root, "catalog");
        DataDirectory = Path.Combine(root, "data");
        Directory.CreateDirectory(CatalogFolder);
        foreach (var script in Directory.GetFiles(FakePipelineFiles.ClientsDirectory, "*.py"))
        {
            File.Copy(script, Path.Combine(CatalogFolder, Path.GetFileName(script)));
        }

        Options = new SubmitterOptions
        {
            CatalogPath = Path.Combine(CatalogFolder, "catalog.json"),
            DataDirectory = DataDirectory,
            PythonPath = "python3",
            FlinkRestUrl = flink.RestUrl.ToString(),
            JobEndpoint = beam.HostAndPort,
            TaskManagers = 1,
            ReadyTimeout = TimeSpan.FromSeconds(5),
            // Long enough for a Python client on a loaded 2-core machine to exit by itself once its job is done; a
            // client that hangs is still ended a few seconds after.
            Grace = TimeSpan.FromSeconds(3),
            JobTimeout = TimeSpan.FromSeconds(30),
            Retries = 2,
            RetryBackoff = TimeSpan.FromMilliseconds(50),
        };
        WriteCatalog(DefaultPipelines());
    }

    public string Root { get; }
    public string CatalogFolder { get; }
    public string DataDirectory { get; }
    public FakeFlinkCluster Flink { get; }
    public FakeBeamJobServer Beam { get; }
    public SubmitterOptions Options { get; }
    public EngineTestGate Gate { get; } = new();
    public EngineLogCapture Logs { get; } = new();

    public SupervisionTimings Timings { get; set; } = new()
    {
        ExitSettle = TimeSpan.FromMilliseconds(300),
        CancelSettle = TimeSpan.FromSeconds(2),
        JobApiDeadline = TimeSpan.FromSeconds(2),
    };

    public static async Task<EngineHarness> StartAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var flink = await FakeFlinkCluster.StartAsync(ct);
        var beam = await FakeBeamJobServer.StartAsync(ct);
        var root = Path.Combine(Path.GetTempPath(), "fb-engine-" + Guid.NewGuid().ToString("N")[..12]);
        return new EngineHarness(root, flink, beam);
    }

    /// <summary>A catalog entry for a test client; every client gets the fake's URL and a short job life.</summary>
    public object Pipeline(string name, string script, int parallelism = 1, params string[] args) => new
    {
        name,
        script,
        description = $"test client {script}",
        args = new[] { "--fake_flink", Flink.RestUrl.ToString(), "--run_ms", "150" }.Concat(args).ToArray(),
        parallelism,
    };

    public object[] DefaultPipelines() =>
    [
        Pipeline("succeed", "succeed.py"),
        Pipeline("fail", "fail.py"),
        Pipeline("fail-after-finished", "fail_after_finished.py"),
        Pipeline("hang-after-done", "hang_after_done.py"),
        Pipeline("transient", "transient.py"),
        Pipeline("no-job", "no_job.py"),
        Pipeline("chatty", "chatty.py"),
        Pipeline("echo-args", "echo_args.py", 2),
        Pipeline("long-running", "long_running.py"),
    ];

    public void WriteCatalog(params object[] pipelines) =>
        File.WriteAllText(Options.CatalogPath, JsonSerializer.Serialize(new { pipelines }));

    /// <summary>A file path in the temporary root (outside the catalog folder).</summary>
    public string TempFile(string name) => Path.Combine(Root, name);

    /// <summary>The lease timings of the managers this harness builds (short renewals let take-over tests run quickly).</summary>
    public LeaseTimings Lease { get; set; } = new();

    /// <summary>
    /// A manager built by <c>AddSubmitterEngine</c> from <see cref="Options"/> (checked by the Submitter's validator), with
    /// the test gate, timings and log capture in place of the real ones; its catalog, store, registration and clients
    /// live until <see cref="StopAsync"/> or the harness is disposed.
    /// </summary>
    public RunManager CreateManager(string role = SubmitterInstance.RunRole, IReadinessGate? gate = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        configure?.Invoke(services);
        var options = Options;
        services.AddOptions<SubmitterOptions>().Configure(target =>
        {
            foreach (var property in typeof(SubmitterOptions).GetProperties().Where(p => p.CanWrite))
            {
                property.SetValue(target, property.GetValue(options));
            }
        });
        services.AddSingleton<ILoggerFactory>(Logs);
        services.AddSingleton(gate ?? Gate);
        services.AddSingleton(Timings);
        services.AddSingleton(Lease);
        services.AddExplicitServiceEndpoints();
        services.AddSubmitterEngine(role);
        var provider = services.BuildServiceProvider(validateScopes: true);
        try
        {
            var manager = provider.GetRequiredService<RunManager>();
            _engines[manager] = provider;
            // What a host does at start: build whatever telemetry the test registered.
            provider.GetService<OpenTelemetry.Trace.TracerProvider>();
            return manager;
        }
        catch
        {
            provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The container a manager of this harness was built in.</summary>
    public IServiceProvider Services(RunManager manager) => _engines[manager];

    /// <summary>
    /// Stops a manager as its process would stop without cancelling: its runs are left running, its registration in the
    /// data directory removed, everything it opened disposed.
    /// </summary>
    public async Task StopAsync(RunManager manager)
    {
        if (_engines.Remove(manager, out var provider))
        {
            await provider.DisposeAsync();
        }
    }

    public static async Task<RunRecord> RunToEndAsync(RunManager manager, string pipeline, params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        var started = await manager.StartAsync(new RunRequest(pipeline, args), ct);
        return await manager.WaitAsync(started.Id, ct).WaitAsync(RunTimeout, ct);
    }

    /// <summary>Polls until <paramref name="condition"/> holds (generous timeout; no timing is asserted).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls until <paramref name="condition"/> holds (generous timeout; no timing is asserted).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > RunTimeout)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20, ct);
        }
    }

    /// <summary>The run's state changes as logged by the ledger, in order: (from, to).</summary>
    public IReadOnlyList<(string From, string To)> Transitions(string runId) =>
        Logs.Entries
            .Select(e => TransitionPattern().Match(e.Message))
            .Where(m => m.Success && m.Groups["id"].Value == runId)
            .Select(m => (m.Groups["from"].Value, m.Groups["to"].Value))
            .ToList();

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            // A zombie (exited, not yet reaped by its parent) is dead for our purposes.
            var status = File.Exists($"/proc/{pid}/stat") ? File.ReadAllText($"/proc/{pid}/stat") : "";
            var state = status.Length > 0 ? status[(status.LastIndexOf(')') + 2)..].Split(' ')[0] : "";
            return state != "Z" && state != "X";
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _engines.Values)
        {
            await provider.DisposeAsync();
        }

        await Flink.DisposeAsync();
        await Beam.DisposeAsync();
        FakePipelineFiles.TryDeleteDirectory(Root);
    }

    [GeneratedRegex(@"^Run (?<id>\S+) of \S+: (?<from>\w+) -> (?<to>\w+)")]
    private static partial Regex TransitionPattern();
}
