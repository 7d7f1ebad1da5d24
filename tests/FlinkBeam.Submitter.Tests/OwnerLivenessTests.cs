using FlinkBeam.Submitter.Ownership;
using FlinkBeam.Submitter.Processes;

namespace FlinkBeam.Submitter.Tests;

/// <summary>When a run's owner counts as gone, as a table over plain values.</summary>
public sealed class OwnerLivenessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // owner's host, its process still runs, lease left (s) → live
    [InlineData("here", true, 20, true)]
    [InlineData("here", true, -600, true)]     // a live local process keeps its runs, however late its lease
    [InlineData("here", false, 20, false)]     // a crashed local process loses them at once
    [InlineData("there", false, 20, true)]     // another host: the lease decides
    [InlineData("there", true, -1, false)]
    public void An_owner_on_this_host_is_judged_by_its_process_and_one_elsewhere_by_its_lease(string host, bool running, int leaseLeft, bool live)
    {
        var owner = new SubmitterInstance("i1", SubmitterInstance.ServeRole, host, 4242, 777, Now.AddHours(-1), Now.AddSeconds(leaseLeft));
        var asked = new List<ProcessIdentity>();

        var result = OwnerLiveness.IsLive(owner, Now, "here", identity =>
        {
            asked.Add(identity);
            return running;
        });

        Assert.Equal(live, result);
        Assert.Equal(host == "here" ? [new ProcessIdentity(4242, 777)] : [], asked);
    }

    [Fact]
    public void A_run_without_an_owner_or_whose_owner_left_no_registration_may_be_taken_over()
    {
        SubmitterInstance[] instances = [new("i1", SubmitterInstance.RunRole, "here", 1, 1, Now, Now.AddSeconds(30))];

        Assert.True(OwnerLiveness.IsGone(null, instances, Now, "here", _ => true));
        Assert.True(OwnerLiveness.IsGone("i2", instances, Now, "here", _ => true));
        Assert.False(OwnerLiveness.IsGone("i1", instances, Now, "here", _ => true));
        Assert.True(OwnerLiveness.IsGone("i1", instances, Now, "here", _ => false));
    }
}
