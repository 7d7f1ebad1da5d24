namespace FlinkBeam.Submitter.Tests;

/// <summary>Base of the test classes that run the real Submitter process against a fresh <see cref="CliTestCluster"/> per test.</summary>
public abstract class CliTestClusterTests : IAsyncLifetime
{
    internal CliTestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await CliTestCluster.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
