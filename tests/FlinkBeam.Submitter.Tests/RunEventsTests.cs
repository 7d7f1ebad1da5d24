using System.Collections.Concurrent;
using System.Text.Json;
using FlinkBeam.Submitter.Events;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The stream of run changes in one process: ids, the kept events and resuming, fan-out, and clients that fall behind.</summary>
public sealed class RunEventsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (long Runs, long Failed)> _history = new(StringComparer.Ordinal);
    private readonly GateLogCapture<RunEvents> _logs = new();
    private RunEvents _events = null!;
    private int _reads;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _events = new RunEvents(() => ["wordcount", "sessions"], Summarize, _logs);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _events.DisposeAsync();

    [Fact]
    public void A_new_client_gets_the_state_of_every_catalog_pipeline_then_synced_all_at_the_streams_head()
    {
        _history["wordcount"] = (12, 3);

        using var client = _events.Subscribe(null);

        Assert.Equal(["pipeline", "pipeline", "synced"], client.Initial.Select(e => e.Name));
        Assert.All(client.Initial, e => Assert.Equal($"{_events.Stream}-0", e.Id));
        Assert.Equal("""{"pipeline":"wordcount","runs":12,"failed":3,"latest":null}""", client.Initial[0].Data);
        Assert.Equal("""{"pipeline":"sessions","runs":0,"failed":0,"latest":null}""", client.Initial[1].Data);
        Assert.Equal("{}", client.Initial[2].Data);
    }

    [Fact]
    public async Task A_change_reaches_every_client_in_the_same_order_with_increasing_ids()
    {
        using var first = _events.Subscribe(null);
        using var second = _events.Subscribe(null);
        using var third = _events.Subscribe(null);
        using var observer = _events.Subscribe(null);

        await ChangeAsync("wordcount", observer);
        await ChangeAsync("sessions", observer);
        await ChangeAsync("wordcount", observer);

        var seen = new[] { first, second, third }.Select(c => Drain(c, 3)).ToList();
        Assert.All(seen, events => Assert.Equal(seen[0], events));
        Assert.Equal(["wordcount", "sessions", "wordcount"], seen[0].Select(e => Pipeline(e)));
        Assert.Equal([1L, 2L, 3L], seen[0].Select(e => e.Sequence));
        Assert.Equal($"{_events.Stream}-3", seen[0][2].Id);
        Assert.Equal(2, JsonDocument.Parse(seen[0][2].Data).RootElement.GetProperty("runs").GetInt64());
    }

    [Fact]
    public async Task Changes_that_come_together_are_read_from_the_history_together_and_end_on_the_newest_state()
    {
        using var client = _events.Subscribe(null);

        for (var i = 0; i < 200; i++)
        {
            Record("wordcount");
            _events.RunChanged("wordcount");
        }

        var last = await NextAsync(client, e => JsonDocument.Parse(e.Data).RootElement.GetProperty("runs").GetInt64() == 200);
        Assert.True(last.Sequence <= 200, $"{last.Sequence} events for 200 changes");
        Assert.Empty(Drain(client, int.MaxValue));
    }

    [Fact]
    public async Task A_client_resuming_with_its_cursor_gets_only_the_pipeline_events_after_it_then_synced()
    {
        using var live = _events.Subscribe(null);
        var cursor = (await ChangeAsync("wordcount", live)).Id;
        _events.Output("wordcount", "run1", "a line the client printed");
        _events.PublishLive(RunEventNames.Metrics, """{"runId":"run1"}""");
        var after = new[] { await ChangeAsync("sessions", live), await ChangeAsync("wordcount", live) };

        using var resumed = _events.Subscribe(cursor);

        Assert.Equal(after.Select(e => e.Id).Append(after[^1].Id), resumed.Initial.Select(e => e.Id));
        Assert.Equal(["pipeline", "pipeline", "synced"], resumed.Initial.Select(e => e.Name));
        Assert.Equal(after.Select(e => e.Data), resumed.Initial.Take(2).Select(e => e.Data));
    }

    [Theory]
    [InlineData("from another stream")]
    [InlineData("not a cursor")]
    [InlineData("ahead of the stream")]
    [InlineData("no longer kept")]
    public async Task A_client_whose_cursor_cannot_be_resumed_gets_the_full_fill(string cursor)
    {
        using var live = _events.Subscribe(null);
        var first = await ChangeAsync("wordcount", live);
        if (cursor == "no longer kept")
        {
            // The event after the cursor is the oldest kept until one more comes.
            for (var i = 0; i <= RunEvents.Kept; i++)
            {
                await ChangeAsync(i % 2 == 0 ? "sessions" : "wordcount", live);
            }
        }

        var text = cursor switch
        {
            "from another stream" => "0123456789ab-1",
            "not a cursor" => "yesterday",
            "ahead of the stream" => $"{_events.Stream}-99999",
            _ => first.Id,
        };

        using var resumed = _events.Subscribe(text);

        Assert.Equal(["wordcount", "sessions"], resumed.Initial.SkipLast(1).Select(e => Pipeline(e)));
        Assert.Equal(RunEventNames.Synced, resumed.Initial[^1].Name);
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_let_go_when_its_queue_is_full_and_nobody_else_waits_for_it()
    {
        using var stalled = _events.Subscribe(null);
        using var reader = _events.Subscribe(null);

        for (var i = 0; i <= RunEventSubscription.Capacity; i++)
        {
            await ChangeAsync("wordcount", reader);
        }

        Assert.True(stalled.FellBehind);
        Assert.False(reader.FellBehind);
        Assert.Equal(RunEventSubscription.Capacity, Drain(stalled, int.MaxValue).Count);
        Assert.True(stalled.Live.Completion.IsCompleted, "the let-go client's live events end");
        // The client comes back with the last id it saw and resumes from there: it misses nothing kept.
        var lastSeen = $"{_events.Stream}-{RunEventSubscription.Capacity}";
        using var back = _events.Subscribe(lastSeen);
        Assert.Equal([RunEventSubscription.Capacity + 1L, RunEventSubscription.Capacity + 1L], back.Initial.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Output_lines_and_metrics_are_skipped_for_a_client_whose_queue_fills_up_but_it_keeps_its_pipeline_events()
    {
        using var stalled = _events.Subscribe(null);
        using var reader = _events.Subscribe(null);

        for (var i = 0; i < 5000; i++)
        {
            _events.Output("wordcount", "run1", $"line {i}");
        }

        var change = await ChangeAsync("wordcount", reader);

        Assert.False(stalled.FellBehind);
        Assert.Equal(5000 - (RunEventSubscription.Capacity * 3 / 4), stalled.Skipped);
        var queued = Drain(stalled, int.MaxValue);
        Assert.Equal(RunEventSubscription.Capacity * 3 / 4, queued.Count(e => e.Name == RunEventNames.Output));
        Assert.Equal(change, queued[^1]);
        Assert.Equal("""{"pipeline":"wordcount","runId":"run1","line":"line 0"}""", queued[0].Data);
    }

    [Fact]
    public async Task Until_a_first_client_subscribes_no_change_is_read_from_the_history()
    {
        for (var i = 0; i < 3; i++)
        {
            Record("wordcount");
            _events.RunChanged("wordcount");
        }

        using var client = _events.Subscribe(null);
        Assert.Equal(2, Volatile.Read(ref _reads));
        await ChangeAsync("sessions", client);

        Assert.Equal(3, Volatile.Read(ref _reads));
        Assert.Equal("""{"pipeline":"wordcount","runs":3,"failed":0,"latest":null}""", client.Initial[0].Data);
    }

    [Fact]
    public void Output_lines_reach_only_the_clients_listening_when_they_are_printed()
    {
        _events.Output("wordcount", "run1", "printed before anyone listened");
        using var client = _events.Subscribe(null);
        _events.Output("wordcount", "run1", "printed while listening");

        var live = Drain(client, int.MaxValue);
        Assert.Equal(["""{"pipeline":"wordcount","runId":"run1","line":"printed while listening"}"""], live.Select(e => e.Data));
        Assert.DoesNotContain(client.Initial, e => e.Name == RunEventNames.Output);
    }

    [Fact]
    public async Task A_summary_that_cannot_be_read_is_logged_and_the_next_change_is_published()
    {
        using var client = _events.Subscribe(null);
        _history["broken"] = (-1, 0);

        _events.RunChanged("broken");
        await EngineHarness.WaitUntilAsync(() => _logs.Entries.Any(e => e.Level == LogLevel.Warning), "the failed read is logged");
        var after = await ChangeAsync("wordcount", client);

        Assert.Equal("wordcount", Pipeline(after));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("pipeline broken", StringComparison.Ordinal) && e.Message.Contains("disk I/O error", StringComparison.Ordinal));
        Assert.DoesNotContain(Drain(client, int.MaxValue).Prepend(after), e => Pipeline(e) == "broken");
    }

    [Fact]
    public async Task Disposing_ends_every_clients_live_events()
    {
        using var client = _events.Subscribe(null);

        await _events.DisposeAsync();

        await client.Live.Completion.WaitAsync(Patience, Ct);
        Assert.False(client.FellBehind);
    }

    private PipelineSummary Summarize(string pipeline)
    {
        Interlocked.Increment(ref _reads);
        var (runs, failed) = _history.GetValueOrDefault(pipeline);
        return runs < 0 ? throw new InvalidOperationException("disk I/O error") : new PipelineSummary(pipeline, runs, failed, null);
    }

    private void Record(string pipeline) => _history.AddOrUpdate(pipeline, (1, 0), (_, c) => (c.Runs + 1, c.Failed));

    /// <summary>Records a run of <paramref name="pipeline"/>, announces it and waits until <paramref name="client"/> gets its event.</summary>
    private async Task<RunEvent> ChangeAsync(string pipeline, RunEventSubscription client)
    {
        Record(pipeline);
        var runs = _history[pipeline].Runs;
        _events.RunChanged(pipeline);
        return await NextAsync(client, e => Pipeline(e) == pipeline && JsonDocument.Parse(e.Data).RootElement.GetProperty("runs").GetInt64() == runs);
    }

    private static async Task<RunEvent> NextAsync(RunEventSubscription client, Func<RunEvent, bool> match)
    {
        while (true)
        {
            var e = await client.Live.ReadAsync(Ct).AsTask().WaitAsync(Patience, Ct);
            if (e.Name == RunEventNames.Pipeline && match(e))
            {
                return e;
            }
        }
    }

    private static List<RunEvent> Drain(RunEventSubscription client, int most)
    {
        var events = new List<RunEvent>();
        while (events.Count < most && client.Live.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    private static string? Pipeline(RunEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("pipeline").GetString();
}
