namespace FlinkBeam.Submitter.Readiness;

/// <summary>Measures whether the cluster can take a run of a given parallelism.</summary>
public interface IReadinessGate
{
    /// <summary>One fresh look at every condition.</summary>
    Task<ReadinessReport> CheckAsync(int parallelism, CancellationToken cancellationToken = default);

    /// <summary>Looks until every condition holds or <paramref name="timeout"/> passes; returns the last report either way.</summary>
    Task<ReadinessReport> WaitUntilReadyAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Admits a run once the cluster is ready and its slots are free, holding them for it; runs are admitted in the order
    /// they asked. Time spent waiting for slots on a ready cluster is not counted; the run is refused when the cluster
    /// stays not ready for <paramref name="timeout"/>, with the report naming the conditions that failed.
    /// </summary>
    Task<GateAdmission> AdmitAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default);
}
