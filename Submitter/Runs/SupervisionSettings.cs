using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Supervision;

namespace FlinkBeam.Submitter.Runs;

/// <summary>Everything that paces a run's supervision: the user's settings and the internal timings.</summary>
internal sealed record SupervisionSettings(SupervisionPolicy Policy, TimeSpan ReadyTimeout, TimeSpan RetryBackoff)
{
    public SupervisionTimings Timings => Policy.Timings;

    public static SupervisionSettings From(SubmitterOptions options, SupervisionTimings timings) => new(
        new SupervisionPolicy(options.Grace, options.JobTimeout, options.Retries, timings),
        options.ReadyTimeout,
        options.RetryBackoff);

    /// <summary>The delay before retry <paramref name="attempt"/>: the backoff doubled per attempt, with jitter, bounded.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var exponential = RetryBackoff * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return jittered < Timings.MaxRetryDelay ? jittered : Timings.MaxRetryDelay;
    }
}
