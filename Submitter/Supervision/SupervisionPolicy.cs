namespace FlinkBeam.Submitter.Supervision;

/// <summary>The limits a supervision decision applies; the user's settings plus the internal settle time.</summary>
/// <param name="Grace">How long a client may live on after its job reached a terminal state.</param>
/// <param name="JobTimeout">
/// How long a running client may go without its Flink job appearing, how long Flink may stay silent or a known job
/// missing, and how long a run found after a restart is looked for.
/// </param>
/// <param name="ExitSettle">
/// How long a client that exited without a job seen is given for the job to show up anyway (a detached submit, a job
/// that ended between two polls) before its exit is judged.
/// </param>
/// <param name="Retries">Retries for a client that fails with a known transient error before any job exists.</param>
public sealed record SupervisionPolicy(TimeSpan Grace, TimeSpan JobTimeout, TimeSpan ExitSettle, int Retries);
