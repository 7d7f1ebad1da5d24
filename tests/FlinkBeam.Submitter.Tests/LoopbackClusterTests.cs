using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>Base of the test classes that run the real Submitter process against a fresh <see cref="LoopbackCluster"/> per test.</summary>
public abstract class LoopbackClusterTests : IAsyncLifetime
{
    internal LoopbackCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await StartClusterAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A loopback cluster whose catalog holds the fake clients the tests use: <c>ok</c>, <c>fail</c>, <c>forever</c>
    /// (writes its pid), <c>wide</c> (parallelism 4) and <c>echo</c> (writes the arguments it received).
    /// </summary>
    internal static async Task<LoopbackCluster> StartClusterAsync(CancellationToken cancellationToken)
    {
        var cluster = await LoopbackCluster.StartAsync(cancellationToken);
        cluster.WriteCatalog(
            ("ok", "succeed.py", 1, []),
            ("fail", "fail.py", 1, []),
            ("forever", "long_running.py", 1, ["--pids", Path.Combine(cluster.PidDirectory, "{runId}.pid")]),
            ("wide", "succeed.py", 4, []),
            ("echo", "echo_args.py", 1, ["--out", cluster.EchoFile("{runId}")]));
        return cluster;
    }
}
