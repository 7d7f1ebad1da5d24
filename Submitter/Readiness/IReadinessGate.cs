namespace FlinkBeam.Submitter.Readiness;

/// <summary>Measures whether the cluster can take a run of a given parallelism.</summary>
public interface IReadinessGate
{
    /// <summary>Checks every condition once.</summary>
    Task<ReadinessReport> CheckAsync(int parallelism, CancellationToken cancellationToken = default);

    /// <summary>Checks until every condition holds or <paramref name="timeout"/> passes; returns the last report either way.</summary>
    Task<ReadinessReport> WaitUntilReadyAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default);
}
