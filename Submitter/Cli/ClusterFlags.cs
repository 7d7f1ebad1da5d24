using System.CommandLine;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Submitter.Configuration;

namespace FlinkBeam.Submitter.Cli;

/// <summary>The flags that describe the cluster and the Python environment, shared by <c>run</c> and <c>check</c>.</summary>
internal sealed class ClusterFlags
{
    public static readonly SubmitterOptions Defaults = new();

    public ClusterFlags(bool catalogRequired, string readyTimeoutDescription)
    {
        Catalog = new Option<string>("--catalog")
        {
            HelpName = "path",
            Description = "The pipeline catalog (catalog.json); the pipeline scripts live beside it.",
            Required = catalogRequired,
        };
        if (!catalogRequired)
        {
            Catalog.DefaultValueFactory = _ => Defaults.CatalogPath;
        }

        ReadyTimeout = NumberOptions.Seconds("--ready-timeout", readyTimeoutDescription);
    }

    public Option<string> Catalog { get; }

    public Option<string> Flink { get; } = new("--flink")
    {
        HelpName = "rest-url",
        Description = $"Flink REST URL, e.g. http://localhost:{ClusterPorts.FlinkRest}.",
        Required = true,
    };

    public Option<string?> JobEndpoint { get; } = new("--job-endpoint")
    {
        HelpName = "host:port",
        Description = $"Beam job server (Job API) address, e.g. localhost:{ClusterPorts.JobService}; required in portable mode.",
    };

    public Option<string?> ArtifactEndpoint { get; } = new("--artifact-endpoint")
    {
        HelpName = "host:port",
        Description = "Beam artifact staging address; the job server's own answer when not given.",
    };

    public Option<string> Python { get; } = new("--python")
    {
        HelpName = "path",
        Description = "Python interpreter with apache-beam that runs the pipeline clients.",
        DefaultValueFactory = _ => Defaults.PythonPath,
    };

    public Option<string[]> WorkerPools { get; } = new("--worker-pool")
    {
        HelpName = "host:port",
        Description = $"A TaskManager's Beam SDK worker pool to probe (e.g. localhost:{ClusterPorts.WorkerPool}); repeat for each TaskManager.",
    };

    public Option<int> TaskManagers { get; } = NumberOptions.Count("--taskmanagers", "n", "TaskManagers Flink must report before a run starts.", 1, Defaults.TaskManagers);

    public Option<string> BeamVersion { get; } = new("--beam-version")
    {
        HelpName = "v",
        Description = "apache-beam release of the cluster; the Python environment must have exactly this one.",
        DefaultValueFactory = _ => Defaults.BeamVersion,
    };

    public Option<string> PythonVersion { get; } = new("--python-version")
    {
        HelpName = "x.y",
        Description = "Python minor version of the SDK workers; the interpreter must match it.",
        DefaultValueFactory = _ => Defaults.PythonVersion,
    };

    public Option<string> Mode { get; } = CreateMode();

    public Option<double?> ReadyTimeout { get; }

    public IEnumerable<Option> All =>
        [Catalog, Flink, JobEndpoint, ArtifactEndpoint, Python, WorkerPools, TaskManagers, BeamVersion, PythonVersion, Mode, ReadyTimeout];

    /// <summary>Writes the values these flags carry into <paramref name="options"/>.</summary>
    public void Apply(ParseResult parse, SubmitterOptions options)
    {
        options.CatalogPath = parse.GetValue(Catalog)!;
        options.FlinkRestUrl = parse.GetValue(Flink);
        options.JobEndpoint = parse.GetValue(JobEndpoint);
        options.ArtifactEndpoint = parse.GetValue(ArtifactEndpoint);
        options.PythonPath = parse.GetValue(Python)!;
        options.WorkerPools = [.. parse.GetValue(WorkerPools) ?? []];
        options.TaskManagers = parse.GetValue(TaskManagers);
        options.BeamVersion = parse.GetValue(BeamVersion)!;
        options.PythonVersion = parse.GetValue(PythonVersion)!;
        options.Mode = string.Equals(parse.GetValue(Mode), "flink", StringComparison.OrdinalIgnoreCase) ? RunnerMode.Flink : RunnerMode.Portable;
        if (parse.GetValue(ReadyTimeout) is { } seconds)
        {
            options.ReadyTimeout = TimeSpan.FromSeconds(seconds);
        }
    }

    private static Option<string> CreateMode()
    {
        var option = new Option<string>("--mode")
        {
            HelpName = "portable|flink",
            Description = "portable: PortableRunner through the job server; flink: FlinkRunner straight to Flink REST.",
            DefaultValueFactory = _ => "portable",
        };
        option.AcceptOnlyFromAmong("portable", "flink");
        return option;
    }
}
