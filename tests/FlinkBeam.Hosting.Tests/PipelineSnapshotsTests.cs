using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting.Tests;

/// <summary>A pipeline's row decided from what is known of it: state and style, properties, the Flink job link.</summary>
public sealed class PipelineSnapshotsTests
{
    private static readonly Uri Flink = new("http://localhost:8081");
    private static readonly MinorVersion Flink120 = new(1, 20);
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly CustomResourceSnapshot Initial = new()
    {
        ResourceType = PipelineSnapshots.ResourceType,
        State = KnownResourceStates.Waiting,
        Properties = [new("resource.parentName", "submitter"), new("pipeline.name", "wordcount")],
    };

    private static RunView Run(string state, string id = "r1", string? jobId = "f00d", DateTimeOffset? finished = null, string? error = null) =>
        new(id, "wordcount", "wordcount-1a2b3c4d", state, Created, finished, jobId, 1, error, error is null ? null : "JobFailed", null);

    private static PipelineView Known(RunView? latest, long runs = 1, long failed = 0) =>
        PipelineView.Unknown("wordcount").With(new PipelineEvent("wordcount", runs, failed, latest));

    private static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.SingleOrDefault(p => p.Name == name)?.Value as string;

    /// <summary>The row has these properties with these values (null: not at all).</summary>
    private static void HasProperties(CustomResourceSnapshot snapshot, params (string Name, string? Value)[] expected) =>
        Assert.Equal(expected, expected.Select(e => (e.Name, Property(snapshot, e.Name))));

    public static TheoryData<string, string?> Styles() => new()
    {
        { "Idle", KnownResourceStateStyles.Info },
        { "Pending", KnownResourceStateStyles.Info },
        { "WaitingForCluster", KnownResourceStateStyles.Info },
        { "Launching", KnownResourceStateStyles.Info },
        { "Submitted", KnownResourceStateStyles.Info },
        { "Running", null },
        { "Succeeded", KnownResourceStateStyles.Success },
        { "Failed", KnownResourceStateStyles.Error },
        { "TimedOut", KnownResourceStateStyles.Error },
        { "Cancelled", KnownResourceStateStyles.Warn },
        { "SomethingNew", null },
    };

    [Theory]
    [MemberData(nameof(Styles))]
    public void Each_run_state_has_the_dashboards_style(string state, string? style) =>
        Assert.Equal(style, PipelineSnapshots.Style(state));

    [Fact]
    public void Every_property_of_a_run_is_shown_among_the_details_after_the_dashboards_own_in_a_fixed_order()
    {
        var row = PipelineSnapshots.Apply(Initial, Known(Run("Failed", finished: Created.AddSeconds(1), error: "boom")), Flink, Flink120);

        var ours = row.Properties.Where(p => PipelineSnapshots.IsRunProperty(p.Name)).ToList();
        Assert.All(ours, p => Assert.True(p.IsHighlighted && p.DisplayName is not null, p.Name));
        Assert.Equal(ours.Select(p => p.SortOrder).Order(), ours.Select(p => p.SortOrder));
        Assert.True(ours[0].SortOrder >= 100, "after the dashboard's own properties");
    }

    [Fact]
    public void Before_the_Submitter_answers_the_row_is_Waiting_without_figures()
    {
        var row = PipelineSnapshots.Apply(Initial, PipelineView.Unknown("wordcount"), Flink, Flink120);

        Assert.Equal(new ResourceStateSnapshot(KnownResourceStates.Waiting, null), row.State);
        Assert.DoesNotContain(row.Properties, p => PipelineSnapshots.IsRunProperty(p.Name));
        Assert.Empty(row.Urls);
    }

    [Fact]
    public void Without_runs_the_row_is_Idle_with_no_run_and_no_link()
    {
        var row = PipelineSnapshots.Apply(Initial, Known(null, runs: 0), Flink, Flink120);

        Assert.Equal(new ResourceStateSnapshot("Idle", KnownResourceStateStyles.Info), row.State);
        Assert.Equal("0", Property(row, "runs.count"));
        Assert.Null(Property(row, "run.id"));
        Assert.Null(row.StartTimeStamp);
        Assert.Empty(row.Urls);
    }

    [Fact]
    public void A_running_run_shows_its_figures_and_links_its_running_job()
    {
        var row = PipelineSnapshots.Apply(Initial, Known(Run("Running"), runs: 12, failed: 3), Flink, Flink120);

        Assert.Equal(new ResourceStateSnapshot("Running", null), row.State);
        HasProperties(row,
            ("runs.count", "12"),
            ("runs.failed", "3"),
            ("run.id", "r1"),
            ("run.job-name", "wordcount-1a2b3c4d"),
            ("run.flink-job-id", "f00d"),
            ("run.started", "2026-12-07 10:00:00Z"),
            ("run.attempts", "1"),
            ("run.ended", null));
        Assert.Equal(Created.UtcDateTime, row.StartTimeStamp);
        Assert.Null(row.StopTimeStamp);
        var link = Assert.Single(row.Urls);
        Assert.Equal((PipelineSnapshots.FlinkJobUrl, "http://localhost:8081/#/job/running/f00d/overview", false, "Flink job"),
            (link.Name, link.Url, link.IsInternal, link.DisplayProperties.DisplayName));
    }

    [Fact]
    public void An_ended_run_shows_when_it_ended_how_long_it_took_and_links_its_completed_job()
    {
        var row = PipelineSnapshots.Apply(Initial, Known(Run("Succeeded", finished: Created.AddSeconds(3.2))), Flink, Flink120);

        Assert.Equal(new ResourceStateSnapshot("Succeeded", KnownResourceStateStyles.Success), row.State);
        Assert.Equal("2026-12-07 10:00:03Z", Property(row, "run.ended"));
        Assert.Equal("3.2 s", Property(row, "run.duration"));
        Assert.Equal(Created.AddSeconds(3.2).UtcDateTime, row.StopTimeStamp);
        Assert.Equal("http://localhost:8081/#/job/completed/f00d/overview", Assert.Single(row.Urls).Url);
    }

    [Fact]
    public void A_failed_run_shows_its_root_cause()
    {
        var row = PipelineSnapshots.Apply(Initial, Known(Run("Failed", finished: Created.AddMinutes(2.5), error: "ZeroDivisionError: division by zero")), Flink, Flink120);

        Assert.Equal(new ResourceStateSnapshot("Failed", KnownResourceStateStyles.Error), row.State);
        Assert.Equal("ZeroDivisionError: division by zero", Property(row, "run.error"));
        Assert.Equal("JobFailed", Property(row, "run.failure-reason"));
        Assert.Equal("2 min 30 s", Property(row, "run.duration"));
    }

    [Fact]
    public void Without_a_Flink_job_or_a_Flink_address_there_is_no_link()
    {
        Assert.Empty(PipelineSnapshots.Apply(Initial, Known(Run("Launching", jobId: null)), Flink, Flink120).Urls);
        Assert.Empty(PipelineSnapshots.Apply(Initial, Known(Run("Running")), flinkRest: null, Flink120).Urls);
    }

    [Fact]
    public void What_others_put_on_the_row_stays_and_the_previous_runs_properties_go()
    {
        var first = PipelineSnapshots.Apply(Initial, Known(Run("Failed", finished: Created.AddSeconds(1), error: "boom")), Flink, Flink120)
            with { Urls = [new UrlSnapshot("elsewhere", "http://example/", false), new UrlSnapshot(PipelineSnapshots.FlinkJobUrl, "http://old/", false)] };

        var second = PipelineSnapshots.Apply(first, Known(Run("Launching", id: "r2", jobId: null), runs: 2, failed: 1), Flink, Flink120);

        Assert.Equal("submitter", Property(second, "resource.parentName"));
        Assert.Equal("wordcount", Property(second, "pipeline.name"));
        Assert.Equal("r2", Property(second, "run.id"));
        Assert.Null(Property(second, "run.error"));
        Assert.Null(Property(second, "run.ended"));
        Assert.Equal(["elsewhere"], second.Urls.Select(u => u.Name));
    }

    [Fact]
    public void The_latest_metrics_of_the_newest_run_become_properties()
    {
        var metrics = new MetricsEvent("wordcount", "r1", "f00d", Created.AddSeconds(5), 1,
            new CheckpointFigures(3, 0, 120, 2048),
            [
                new VertexFigures("v1", "Read input", 0, 12345, 1.5, 0, 12),
                new VertexFigures("v2", "Count words", 12345, 678, null, 250.5, 600),
            ]);

        var row = PipelineSnapshots.Apply(Initial, Known(Run("Running")).With(metrics), Flink, Flink120);

        HasProperties(row,
            ("metrics.at", "2026-12-07 10:00:05Z"),
            ("metrics.restarts", "1"),
            ("metrics.checkpoints", "3 completed, 0 failed"),
            ("metrics.last-checkpoint", "120 ms, 2.0 KiB"),
            ("metrics.backpressure", "250.5 ms/s in Count words"),
            ("metrics.vertex.1", "in 0 · out 12,345 · 1.5 out/s · backpressured 0 ms/s · busy 12 ms/s"),
            ("metrics.vertex.2", "in 12,345 · out 678 · backpressured 250.5 ms/s · busy 600 ms/s"));
        Assert.Equal("Vertex 2: Count words", row.Properties.Single(p => p.Name == "metrics.vertex.2").DisplayName);
    }

    [Fact]
    public void Figures_Flink_did_not_give_are_left_out()
    {
        var metrics = new MetricsEvent("wordcount", "r1", "f00d", Created, null, null, [new VertexFigures("v1", null, null, null, null, null, null)]);

        var row = PipelineSnapshots.Apply(Initial, Known(Run("Running")).With(metrics), Flink, Flink120);

        HasProperties(row, ("metrics.restarts", null), ("metrics.checkpoints", null), ("metrics.backpressure", null), ("metrics.vertex.1", "no figures"));
    }

    [Fact]
    public void Metrics_of_another_run_are_ignored_and_a_new_run_drops_the_old_runs_metrics()
    {
        var metrics = new MetricsEvent("wordcount", "r1", "f00d", Created, 0, null, []);
        var view = Known(Run("Running")).With(metrics);

        Assert.Null(Known(Run("Running", id: "r2")).With(metrics).Metrics);
        Assert.Same(metrics, view.With(new PipelineEvent("wordcount", 1, 0, Run("Succeeded", finished: Created))).Metrics);
        Assert.Null(view.With(new PipelineEvent("wordcount", 2, 0, Run("Launching", id: "r2"))).Metrics);
    }

    [Fact]
    public void A_change_of_the_newest_runs_state_is_one_console_line()
    {
        (string Because, PipelineView Before, PipelineView After, string? Line)[] cases =
        [
            ("first news is not a change", PipelineView.Unknown("wordcount"), Known(Run("Running")), null),
            ("same state", Known(Run("Running")), Known(Run("Running")), null),
            ("a new state", Known(Run("Launching")), Known(Run("Running")), "Run r1: Running"),
            ("a new run", Known(null, runs: 0), Known(Run("WaitingForCluster")), "Run r1: WaitingForCluster"),
            ("the end", Known(Run("Running")), Known(Run("Succeeded", finished: Created.AddMilliseconds(850))), "Run r1: Succeeded after 850 ms"),
            ("a failure", Known(Run("Running")), Known(Run("Failed", finished: Created.AddSeconds(2), error: "boom")), "Run r1: Failed after 2.0 s: boom"),
            ("synced without runs", PipelineView.Unknown("wordcount"), PipelineView.Unknown("wordcount").Synced(), null),
        ];

        Assert.All(cases, c => Assert.True(c.Line == PipelineView.Transition(c.Before, c.After), $"{c.Because}: {PipelineView.Transition(c.Before, c.After)}"));
    }

    [Fact]
    public void Synced_settles_only_a_pipeline_the_Submitter_said_nothing_about()
    {
        var known = Known(Run("Running"));

        Assert.Same(known, known.Synced());
        var settled = PipelineView.Unknown("x").Synced();
        Assert.True(settled.Known);
        Assert.Equal(0, settled.Runs);
        Assert.Null(settled.Latest);
        Assert.Equal("Idle", PipelineSnapshots.Apply(Initial, settled, Flink, Flink120).State?.Text);
    }
}
