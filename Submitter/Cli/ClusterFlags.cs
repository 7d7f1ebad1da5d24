using System.CommandLine;
using System.Globalization;
using FlinkBeam.Cluster;
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
            Description = "The pipeline catalog (catalog.json); scripts and env_check.py live beside it.",
            Required = catalogRequired,
        };
        if (!catalogRequired)
        {
            Catalog.DefaultValueFactory = _ => Defaults.CatalogPath;
        }

        ReadyTimeout = new Option<double?>("--ready-timeout") { HelpName = "seconds", Description = readyTimeoutDescription };
        AcceptSeconds(ReadyTimeout);
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

    public Option<int> TaskManagers { get; } = new("--taskmanagers")
    {
        HelpName = "n",
        Description = "TaskManagers Flink must report before a run starts.",
        DefaultValueFactory = _ => Defaults.TaskManagers,
    };

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

    /// <summary>The options these flags describe, on top of the defaults.</summary>
    public SubmitterOptions Read(ParseResult parse)
    {
        var mode = parse.GetValue(Mode)!;
        return new SubmitterOptions
        {
            CatalogPath = parse.GetValue(Catalog)!,
            FlinkRestUrl = parse.GetValue(Flink),
            JobEndpoint = parse.GetValue(JobEndpoint),
            ArtifactEndpoint = parse.GetValue(ArtifactEndpoint),
            PythonPath = parse.GetValue(Python)!,
            WorkerPools = [.. parse.GetValue(WorkerPools) ?? []],
            TaskManagers = parse.GetValue(TaskManagers),
            BeamVersion = parse.GetValue(BeamVersion)!,
            PythonVersion = parse.GetValue(PythonVersion)!,
            Mode = string.Equals(mode, "flink", StringComparison.OrdinalIgnoreCase) ? RunnerMode.Flink : RunnerMode.Portable,
            ReadyTimeout = parse.GetValue(ReadyTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : Defaults.ReadyTimeout,
        };
    }

    /// <summary>Rejects zero, negative and absurd second counts at parse time, naming the flag and the value.</summary>
    public static void AcceptSeconds(Option<double?> option, bool allowZero = false)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is not { } value)
            {
                return;
            }

            if (double.IsNaN(value) || value < 0 || (!allowZero && value == 0) || value > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                result.AddError($"{option.Name} must be a number of seconds {(allowZero ? "of at least 0" : "above 0")}; got {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
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
