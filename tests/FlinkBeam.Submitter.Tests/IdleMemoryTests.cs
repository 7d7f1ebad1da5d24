using FlinkBeam.Submitter.Service;

namespace FlinkBeam.Submitter.Tests;

/// <summary>When an idle service gives back the memory a burst of runs left behind.</summary>
public sealed class IdleMemoryTests
{
    private const long MB = 1024 * 1024;

    [Theory]
    [InlineData(true, 80 * MB, 50 * MB, true)]
    [InlineData(false, 200 * MB, 50 * MB, false)]
    [InlineData(true, 50 * MB + IdleMemory.Growth, 50 * MB, false)]
    [InlineData(true, 50 * MB + IdleMemory.Growth + 1, 50 * MB, true)]
    [InlineData(true, 40 * MB, 50 * MB, false)]
    public void An_idle_service_that_grew_trims_once(bool idle, long resident, long baseline, bool trims)
    {
        Assert.Equal(trims, IdleMemory.ShouldTrim(idle, resident, baseline));
    }
}
