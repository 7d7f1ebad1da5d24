using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// One real Submitter in service mode against a fresh loopback cluster, shared by the tests of a class: the catalog of
/// <see cref="LoopbackClusterTests.StartClusterAsync"/> and the settings of <see cref="LoopbackCluster.ServiceEnvironment"/>,
/// unless <see cref="Configure"/> changes them.
/// </summary>
public abstract class ServiceFixture : IAsyncLifetime
{
    internal LoopbackCluster Cluster { get; private set; } = null!;

    internal ServiceSubmitterProcess Service { get; private set; } = null!;

    /// <summary>Where the service listens.</summary>
    protected virtual string Urls => "http://127.0.0.1:0";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Cluster = await LoopbackClusterTests.StartClusterAsync(ct);
        var environment = Cluster.ServiceEnvironment();
        Configure(Cluster, environment);
        Service = await ServiceSubmitterProcess.StartAsync(environment, ct, Urls);
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Cluster.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Changes the catalog or the service's settings before it starts.</summary>
    protected virtual void Configure(LoopbackCluster cluster, Dictionary<string, string> environment)
    {
    }
}
