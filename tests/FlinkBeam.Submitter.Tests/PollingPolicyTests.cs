using FlinkBeam.Submitter.Readiness;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The gate's pacing rule behind the readiness latency goal, checked without timing anything.</summary>
public sealed class PollingPolicyTests
{
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
}
