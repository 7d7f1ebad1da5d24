namespace FlinkBeam.Submitter.Supervision;

/// <summary>The limits a supervision decision applies: the user's settings and the internal timings.</summary>
/// <param name="Grace">How long a client may live on after its job reached a terminal state.</param>
/// <param name="JobTimeout">
/// How long a running client may go without its Flink job appearing, how long Flink may stay silent or a known job
/// missing, and how long a run found after a restart is looked for.
/// </param>
/// <param name="Retries">Retries for a client that fails with a known transient error before any job exists.</param>
/// <param name="Timings">The internal timings (the settle time of a client's exit among them).</param>
public sealed record SupervisionPolicy(TimeSpan Grace, TimeSpan JobTimeout, int Retries, SupervisionTimings Timings);
