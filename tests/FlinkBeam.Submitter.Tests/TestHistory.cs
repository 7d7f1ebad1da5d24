using FlinkBeam.Submitter.Store;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>A data directory's history opened the way the Submitter opens it, for a test to write and read directly.</summary>
internal sealed class TestHistory : IDisposable
{
    private readonly EngineLogCapture _logs = new();

    private TestHistory(HistoryFile file, ILogger<RunHistory>? logger)
    {
        File = file;
        Runs = new RunHistory(file, logger ?? new Logger<RunHistory>(_logs));
        Instances = new InstanceRegistry(file);
    }

    public HistoryFile File { get; }

    public RunHistory Runs { get; }

    public InstanceRegistry Instances { get; }

    public static TestHistory Open(string dataDirectory, HistoryLimits? limits = null, ILogger<RunHistory>? logger = null) =>
        new(HistoryFile.Open(dataDirectory, limits), logger);

    /// <summary>Writes a run's record, asserting it reached the file.</summary>
    public void Save(RunRecord record) =>
        Assert.True(Runs.Save(record), $"run {record.Id} was not written: {string.Join("; ", _logs.Entries.Select(e => e.Message))}");

    public RunRecord? Get(string id) => Runs.Get(id);

    public RunPage Query(RunQuery query) => Runs.Query(query);

    public void Dispose()
    {
        Runs.DisposeAsync().AsTask().GetAwaiter().GetResult();
        File.Dispose();
    }
}
