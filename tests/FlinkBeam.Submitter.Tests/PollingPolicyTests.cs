using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Runs;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The pacing rules behind the latency goals, checked without timing anything.</summary>
public sealed class PollingPolicyTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_010_000);
    private static readonly DateTimeOffset PreviousAnswer = Now.AddMilliseconds(-100);

    [Fact]
    public void The_gate_keeps_polling_fast_for_a_minute_after_the_last_change_then_backs_off_to_its_maximum()
    {
        var polling = new ReadinessPolling();

        Assert.Equal(polling.Initial, polling.Next(polling.Initial, TimeSpan.FromSeconds(30)));
        Assert.Equal(polling.Initial, polling.Next(polling.Max, TimeSpan.FromSeconds(59)));

        var interval = polling.Initial;
        for (var i = 0; i < 20; i++)
        {
            interval = polling.Next(interval, TimeSpan.FromMinutes(2));
        }

        Assert.Equal(polling.Max, interval);
    }

    [Fact]
    public void Grace_counts_from_the_end_time_Flink_reports()
    {
        var ended = Now.AddMilliseconds(-40);

        Assert.Equal(ended, FlinkBeam.Submitter.Supervision.SupervisionDecision.TerminalSince(ended.ToUnixTimeMilliseconds(), PreviousAnswer, Now));
    }

    [Fact]
    public void An_end_time_outside_the_last_poll_interval_is_clamped_to_it_since_clocks_may_differ()
    {
        Assert.Equal(Now, FlinkBeam.Submitter.Supervision.SupervisionDecision.TerminalSince(Now.AddSeconds(5).ToUnixTimeMilliseconds(), PreviousAnswer, Now));
        Assert.Equal(PreviousAnswer, FlinkBeam.Submitter.Supervision.SupervisionDecision.TerminalSince(Now.AddMinutes(-5).ToUnixTimeMilliseconds(), PreviousAnswer, Now));
        Assert.Equal(Now, FlinkBeam.Submitter.Supervision.SupervisionDecision.TerminalSince(-1, PreviousAnswer, Now));
    }
}
