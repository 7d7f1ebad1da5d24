using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The registry of Submitter instances in a data directory, on a real SQLite file.</summary>
public sealed class InstanceRegistryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = RunHistoryTests.T0;
    private readonly string _directory = FakePipelineFiles.TempDirectory("registry");

    public void Dispose() => FakePipelineFiles.TryDeleteDirectory(_directory);

    [Fact]
    public void A_second_live_instance_of_an_exclusive_role_is_refused_naming_the_holder_and_one_that_is_gone_is_replaced()
    {
        using var history = TestHistory.Open(_directory);
        var registry = history.Instances;
        var holder = new SubmitterInstance("holder", SubmitterInstance.ServeRole, "host-a", 1234, 99, T0, T0.AddSeconds(30));
        registry.Register(holder, exclusive: true, _ => true);
        registry.Register(new SubmitterInstance("cli", SubmitterInstance.RunRole, "host-a", 1235, 99, T0, T0.AddSeconds(30)), exclusive: false, _ => true);

        var second = new SubmitterInstance("second", SubmitterInstance.ServeRole, "host-a", 4321, 99, T0, T0.AddSeconds(30));
        var error = Assert.Throws<DataDirectoryInUseException>(() => registry.Register(second, exclusive: true, _ => true));
        Assert.Contains($"The data directory {_directory} is in use by Submitter serve (process 1234 on host-a", error.Message, StringComparison.Ordinal);
        Assert.Equal(["holder", "cli"], registry.Instances().Select(i => i.Id));

        registry.Register(second, exclusive: true, other => other.Id != "holder");
        Assert.Equal(["cli", "second"], registry.Instances().Select(i => i.Id));
        Assert.True(registry.Renew("second", T0.AddMinutes(1)));
        registry.Unregister("second");
        Assert.False(registry.Renew("second", T0.AddMinutes(2)));
    }
}
