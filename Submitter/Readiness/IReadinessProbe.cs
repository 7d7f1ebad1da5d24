namespace FlinkBeam.Submitter.Readiness;

/// <summary>One thing the gate asks the cluster; it may report several conditions from one answer.</summary>
internal interface IReadinessProbe
{
    Task<IReadOnlyList<ReadinessCondition>> CheckAsync(int parallelism, CancellationToken cancellationToken);

    /// <summary>The probe's conditions, failed with <paramref name="observed"/>, for when it never answered.</summary>
    IReadOnlyList<ReadinessCondition> Unanswered(int parallelism, string observed);
}
