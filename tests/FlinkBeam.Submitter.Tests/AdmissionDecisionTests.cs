using FlinkBeam.Submitter.Readiness;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The gate's judgement of one waiting run, as a table over plain values.</summary>
public sealed class AdmissionDecisionTests
{
    private static readonly ReadinessCondition TaskManagers = new("flink-taskmanagers", true, "2 TaskManagers", "2 TaskManagers registered");
    private static readonly ReadinessCondition JobServer = new("job-server", true, "Job API GetJobs answers", "GetJobs answered (0 jobs)");
    private static readonly ReadinessCondition Down = new("job-server", false, "Job API GetJobs answers", "connection refused");

    [Theory]
    // parallelism, total, available, reserved, job server up → kind, slots condition as reported
    [InlineData(2, 4, 4, 0, true, AdmissionKind.Admit, "ok: 4 free of 4 slots")]
    [InlineData(2, 4, 4, 2, true, AdmissionKind.Admit, "ok: 4 free of 4 slots, 2 of them promised to runs being launched")]
    [InlineData(2, 4, 4, 3, true, AdmissionKind.Queue, "FAIL: 4 free of 4 slots, 3 of them promised to runs being launched")]
    [InlineData(3, 4, 2, 0, true, AdmissionKind.Queue, "FAIL: 2 free of 4 slots")]
    [InlineData(5, 4, 4, 0, true, AdmissionKind.NotReady, "FAIL: 4 slots in the whole cluster; add TaskManagers or slots, or lower the pipeline's parallelism")]
    [InlineData(1, 4, 4, 0, false, AdmissionKind.NotReady, "ok: 4 free of 4 slots")]
    [InlineData(3, 4, 2, 0, false, AdmissionKind.NotReady, "FAIL: 2 free of 4 slots")]
    public void A_run_is_admitted_queued_or_not_ready(int parallelism, int total, int available, int reserved, bool jobServerUp, AdmissionKind kind, string slots)
    {
        var admission = AdmissionDecision.Judge([TaskManagers, jobServerUp ? JobServer : Down], new FlinkCapacity(total, available), parallelism, reserved);

        Assert.Equal(kind, admission.Kind);
        Assert.Equal(["flink-taskmanagers", "flink-slots", "job-server"], admission.Report.Conditions.Select(c => c.Name));
        var condition = admission.Report.Conditions[1];
        Assert.Equal($"at least {(parallelism == 1 ? "1 free slot" : $"{parallelism} free slots")}", condition.Expected);
        Assert.Equal(slots, $"{(condition.Ok ? "ok" : "FAIL")}: {condition.Observed}");
        Assert.Equal(kind == AdmissionKind.Admit, admission.Report.IsReady);
    }

    [Fact]
    public void Without_an_answer_from_Flink_the_slots_condition_repeats_what_failed()
    {
        var unanswered = new ReadinessCondition("flink-taskmanagers", false, "2 TaskManagers", "Flink REST http://localhost:8081/ unusable: connection refused");

        var admission = AdmissionDecision.Judge([unanswered, JobServer], null, 1, 0);

        Assert.Equal(AdmissionKind.NotReady, admission.Kind);
        Assert.Equal(
            "flink-taskmanagers: expected 2 TaskManagers, saw Flink REST http://localhost:8081/ unusable: connection refused"
            + Environment.NewLine
            + "flink-slots: expected at least 1 free slot, saw Flink REST http://localhost:8081/ unusable: connection refused",
            admission.Report.Describe());
    }

    [Fact]
    public void Parallelism_zero_asks_only_about_the_clusters_parts()
    {
        Assert.Equal(AdmissionKind.Admit, AdmissionDecision.Judge([TaskManagers, JobServer], new FlinkCapacity(4, 0), 0, 10).Kind);
        Assert.Equal(["flink-taskmanagers", "job-server"], AdmissionDecision.Judge([TaskManagers, JobServer], null, 0, 0).Report.Conditions.Select(c => c.Name));
        Assert.Equal(AdmissionKind.NotReady, AdmissionDecision.Judge([TaskManagers, Down], new FlinkCapacity(4, 4), 0, 0).Kind);
    }
}
