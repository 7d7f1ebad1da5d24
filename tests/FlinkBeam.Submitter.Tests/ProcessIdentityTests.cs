using System.Diagnostics;
using FlinkBeam.Submitter.Processes;

namespace FlinkBeam.Submitter.Tests;

/// <summary>A process named by its id and start time, with real processes.</summary>
public sealed class ProcessIdentityTests
{
    [Fact]
    public async Task Only_the_very_process_is_ended_a_reused_id_with_another_start_is_left_alone()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var identity = ProcessIdentity.Of(sleeper.Id);
        Assert.NotNull(identity);
        Assert.True(identity.Value.IsRunning());

        var impostor = identity.Value with { Start = identity.Value.Start + 1 };
        Assert.False(impostor.IsRunning());
        Assert.False(impostor.TryKillTree());
        Assert.False(sleeper.HasExited);

        Assert.True(identity.Value.TryKillTree());
        await sleeper.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.False(identity.Value.IsRunning());
        Assert.Null(ProcessIdentity.Of(sleeper.Id));
        Assert.False(identity.Value.TryKillTree());
    }

    [Fact]
    public void This_process_has_an_identity_and_no_process_has_id_zero()
    {
        Assert.Equal(Environment.ProcessId, ProcessIdentity.Current.ProcessId);
        Assert.True(ProcessIdentity.Current.IsRunning());
        Assert.Null(ProcessIdentity.Of(0));
    }
}
