using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Events;
using FlinkBeam.Submitter.Processes;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Runs;

/// <summary>
/// Starts pipeline clients: the configured interpreter runs the catalogued script in the catalog's folder with an
/// argument list (never a shell): the options the Submitter owns, then the catalog's arguments, then the caller's. The
/// lines a client prints go to the logs and to the event stream.
/// </summary>
internal sealed class ClientLauncher
{
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    private readonly SubmitterOptions _options;
    private readonly string _catalogDirectory;
    private readonly VersionSet _versions;
    private readonly string? _flinkMaster;
    private readonly ILogger _logger;
    private readonly ILogger _clientLogger;
    private readonly RunEvents _events;

    /// <exception cref="InvalidOperationException">The options cannot produce a valid launch (names the setting).</exception>
    public ClientLauncher(SubmitterOptions options, PipelineCatalog catalog, RunEvents events, ILoggerFactory loggerFactory)
    {
        _options = options;
        _events = events;
        _catalogDirectory = catalog.Directory;
        _logger = loggerFactory.CreateLogger<ClientLauncher>();
        _clientLogger = loggerFactory.CreateLogger("FlinkBeam.Submitter.Client");
        try
        {
            _versions = VersionSet.Create(options.BeamVersion, options.FlinkVersion, options.PythonVersion);
            _flinkMaster = options.Mode == RunnerMode.Flink ? new Uri(options.FlinkRestUrl!).GetLeftPart(UriPartial.Authority) : null;
            // Fails now, naming the setting, rather than on the first run.
            Arguments(new PipelineDefinition("check", Path.Combine(catalog.Directory, "check.py"), null, [], 1), "check-00000000", []);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Submitter configuration cannot launch pipelines: {ex.Message}", ex);
        }
    }

    /// <summary>The client's argument list after the interpreter: the script, the options the Submitter owns, then <paramref name="extra"/>.</summary>
    /// <exception cref="OwnedOptionException">An extra argument tries to set an option the Submitter owns.</exception>
    public IReadOnlyList<string> Arguments(PipelineDefinition definition, string jobName, IReadOnlyList<string> extra)
    {
        var settings = new PipelineOptionsSettings
        {
            Mode = _options.Mode,
            JobName = jobName,
            JobEndpoint = NullIfEmpty(_options.JobEndpoint),
            ArtifactEndpoint = NullIfEmpty(_options.ArtifactEndpoint),
            Environment = _options.Environment,
            EnvironmentConfig = NullIfEmpty(_options.EnvironmentConfig),
            Parallelism = definition.Parallelism,
            FlinkMaster = _flinkMaster,
            FlinkJobServerJar = NullIfEmpty(_options.FlinkJobServerJar),
            Versions = _versions,
        };
        return [definition.ScriptPath, .. PipelineOptions.Build(settings, extra, allowOverride: false, _logger)];
    }

    /// <summary>Null when the system can start the client with <paramref name="arguments"/>; else why not.</summary>
    public string? CheckLimits(IReadOnlyList<string> arguments) =>
        ArgumentLimits.Check(_options.PythonPath, arguments, ClientProcess.StartInfo.DefaultEnvironment);

    /// <summary>Starts one attempt's client.</summary>
    /// <exception cref="ClientStartException">The interpreter or the catalog folder is missing or unusable.</exception>
    public async Task<OwnClient> StartAsync(ActiveRun run)
    {
        var (pipeline, id) = (run.Record.Pipeline, run.Id);
        var process = await ClientProcess.StartAsync(
            new ClientProcess.StartInfo(_options.PythonPath, run.Arguments!, _catalogDirectory, NoEnvironment, pipeline, id)
            {
                Output = line => _events.Output(pipeline, id, line),
            },
            _clientLogger).ConfigureAwait(false);
        _logger.LogInformation("Run {RunId} attempt {Attempt}: started {Python} (pid {ProcessId}) for {JobName}",
            run.Id, run.Record.Attempts, _options.PythonPath, process.ProcessId, run.Record.JobName);
        return new OwnClient(process);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
