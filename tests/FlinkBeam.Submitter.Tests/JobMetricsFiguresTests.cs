using FlinkBeam.Cluster.Flink;
using FlinkBeam.Submitter.Metrics;

namespace FlinkBeam.Submitter.Tests;

/// <summary>What is read from which of Flink's answers: tables, no I/O.</summary>
public sealed class JobMetricsFiguresTests
{
    private static readonly FlinkJobVertex Vertex = new(new string('a', 32), "[2]Count -> Write", 2);

    [Fact]
    public void A_vertex_figure_is_the_sum_over_its_subtasks_and_a_metric_flink_left_out_stays_null()
    {
        IReadOnlyList<FlinkAggregatedMetric> answer =
        [
            new("numRecordsIn", 1, 9, 5, 10),
            new("numRecordsOutPerSecond", 0.5, 1, 0.75, 1.5),
            new("busyTimeMsPerSecond", null, null, null, null),
            new("someOtherMetric", 1, 1, 1, 99),
        ];

        Assert.Equal(
            new VertexFigures(Vertex.Id, Vertex.Name, 10, null, 1.5, null, null),
            JobMetricsFigures.Vertex(Vertex, answer));
        Assert.Equal(new VertexFigures(Vertex.Id, Vertex.Name, null, null, null, null, null), JobMetricsFigures.Vertex(Vertex, null));
        Assert.Equal(new VertexFigures(Vertex.Id, Vertex.Name, null, null, null, null, null), JobMetricsFigures.Vertex(Vertex, []));
    }

    public static TheoryData<FlinkCheckpointStatistics?, CheckpointFigures?> CheckpointAnswers => new()
    {
        { null, null },
        { new(0, 0, null), new(0, 0, null, null) },
        { new(3, 1, new(4, 120, 2048, 512)), new(3, 1, 120, 2048) },
        { new(3, 1, new(4, 120, null, 512)), new(3, 1, 120, 512) },
        { new(3, 1, new(4, null, null, null)), new(3, 1, null, null) },
    };

    [Theory]
    [MemberData(nameof(CheckpointAnswers))]
    public void Checkpoints_give_the_counts_and_the_latest_completed_ones_duration_and_full_size(FlinkCheckpointStatistics? answer, CheckpointFigures? expected) =>
        Assert.Equal(expected, JobMetricsFigures.Checkpoints(answer));

    [Theory]
    [InlineData("3", 3L)]
    [InlineData("0", 0L)]
    [InlineData("2.0", 2L)]
    [InlineData("1e1", 10L)]
    [InlineData("many", null)]
    [InlineData("NaN", null)]
    [InlineData(null, null)]
    public void Restarts_are_read_from_flinks_text(string? value, long? expected)
    {
        Assert.Equal(expected, JobMetricsFigures.Restarts([new("uptime", "5"), new("numRestarts", value)]));
        Assert.Null(JobMetricsFigures.Restarts([]));
        Assert.Null(JobMetricsFigures.Restarts(null));
    }
}
