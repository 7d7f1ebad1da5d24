using System.Collections.Concurrent;
using FlinkBeam.Submitter.Processes;
using FlinkBeam.Testing;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>A real Python process's output lines reaching the output sink, and a sink that cannot keep up.</summary>
public sealed class ClientOutputTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sink_gets_every_line_the_client_prints_on_both_streams_in_order()
    {
        var lines = new ConcurrentQueue<string>();
        using var client = Start("import sys\nfor i in range(500):\n    print(f'out {i}')\nprint('on stderr', file=sys.stderr)", lines.Enqueue, new EngineLogCapture());

        Assert.Equal(0, await client.Completion.WaitAsync(Patience, Ct));
        await client.LogCompletion.WaitAsync(Patience, Ct);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"out {i}"), lines.Where(l => l.StartsWith("out ", StringComparison.Ordinal)));
        Assert.Contains("on stderr", lines);
        Assert.Equal(0, client.OutputLinesDropped);
    }

    [Fact]
    public async Task A_sink_that_cannot_keep_up_never_holds_the_client_up_and_the_lines_it_missed_are_counted_and_logged()
    {
        using var release = new ManualResetEventSlim();
        var lines = new ConcurrentQueue<string>();
        var logs = new EngineLogCapture();
        using var client = Start("for i in range(30000):\n    print(f'line {i}')", line =>
        {
            release.Wait(Ct);
            lines.Enqueue(line);
        }, logs);

        // The client exits and its pipes are read to the end while the sink still holds its first line.
        Assert.Equal(0, await client.Completion.WaitAsync(Patience, Ct));
        release.Set();
        await client.LogCompletion.WaitAsync(Patience, Ct);

        Assert.True(client.OutputLinesDropped > 0);
        Assert.Equal(30000, lines.Count + client.OutputLinesDropped);
        Assert.Equal("line 29999", lines.Last());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning
            && e.Message == $"{client.OutputLinesDropped} client output lines were not streamed because the client printed faster than they were sent");
    }

    private static ClientProcess Start(string program, Action<string> sink, EngineLogCapture logs) =>
        ClientProcess.Start(
            new ClientProcess.StartInfo(FakePipelineFiles.RealPython, ["-c", program], Path.GetTempPath(), new Dictionary<string, string?>(), "test", "run1")
            {
                Output = sink,
            },
            logs.CreateLogger("FlinkBeam.Submitter.Client"));
}
