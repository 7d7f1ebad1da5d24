namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// The gate's answer to a run: admitted (its slots are held for it until <see cref="Release"/>, i.e. until Flink runs
/// its job or the run ends) or refused with the report that names what failed.
/// </summary>
public sealed class GateAdmission : IDisposable
{
    private Action? _release;

    internal GateAdmission(ReadinessReport report, Action? release, TimeSpan waited = default)
    {
        Report = report;
        _release = release;
        Waited = waited;
    }

    public bool Admitted => Report.IsReady;

    public ReadinessReport Report { get; }

    /// <summary>How long the run waited at the gate, from its request to the gate's answer.</summary>
    public TimeSpan Waited { get; }

    /// <summary>Gives the held slots back (Flink now accounts for them, or the run ended). Safe to call more than once.</summary>
    public void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();

    public void Dispose() => Release();
}
