namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>
/// How every <see cref="HttpClient"/> made by the client factory behaves on failure: a total timeout around
/// everything, retries with jittered exponential backoff for transient failures, a circuit breaker per
/// destination, and a timeout per attempt. Bound from the <c>HttpResilience</c> configuration section.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>The configuration section the options are bound from by default.</summary>
    public const string DefaultSectionName = "HttpResilience";

    /// <summary>False sends every request once, with no timeout, retry or breaker added.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Upper bound for one call, all attempts and delays included.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for one attempt (until the response headers arrive).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential backoff (the first retry waits about this long).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Spreads retries of many clients apart by randomising each delay.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Cap for any single retry delay, including one asked for by a Retry-After header.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Also retry POST, PATCH and other methods that are not idempotent. Off by default: repeating them can
    /// repeat their effect. A single request can opt in or out with <see cref="HttpResilienceRequestOptions.AllowRetry"/>.
    /// </summary>
    public bool RetryNonIdempotentMethods { get; set; }

    /// <summary>Share of handled failures within the sampling window that opens the circuit (0 to 1].</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.1;

    /// <summary>Calls needed within the sampling window before the failure ratio is considered.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 100;

    /// <summary>The window over which the failure ratio is measured.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial call is let through.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks every value against the range the pipeline accepts.
    /// </summary>
    /// <returns>One sentence per invalid value, naming it, its range and what was given; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var minTimeout = TimeSpan.FromMilliseconds(10);
        var maxTimeout = TimeSpan.FromDays(1);
        var minBreakerWindow = TimeSpan.FromMilliseconds(500);

        CheckRange(errors, nameof(TotalRequestTimeout), TotalRequestTimeout, minTimeout, maxTimeout);
        CheckRange(errors, nameof(AttemptTimeout), AttemptTimeout, minTimeout, maxTimeout);
        if (AttemptTimeout > TotalRequestTimeout)
        {
            errors.Add($"{nameof(AttemptTimeout)} ({AttemptTimeout}) must not exceed {nameof(TotalRequestTimeout)} ({TotalRequestTimeout}).");
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            errors.Add($"{nameof(MaxRetryAttempts)} must be between 0 and 100; got {MaxRetryAttempts}.");
        }

        CheckRange(errors, nameof(RetryDelay), RetryDelay, TimeSpan.Zero, maxTimeout);
        CheckRange(errors, nameof(MaxRetryDelay), MaxRetryDelay, TimeSpan.Zero, maxTimeout);

        if (!(CircuitBreakerFailureRatio > 0 && CircuitBreakerFailureRatio <= 1))
        {
            errors.Add($"{nameof(CircuitBreakerFailureRatio)} must be greater than 0 and at most 1; got {CircuitBreakerFailureRatio}.");
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            errors.Add($"{nameof(CircuitBreakerMinimumThroughput)} must be at least 2; got {CircuitBreakerMinimumThroughput}.");
        }

        CheckRange(errors, nameof(CircuitBreakerSamplingDuration), CircuitBreakerSamplingDuration, minBreakerWindow, maxTimeout);
        CheckRange(errors, nameof(CircuitBreakerBreakDuration), CircuitBreakerBreakDuration, minBreakerWindow, maxTimeout);
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds a problem.</summary>
    /// <exception cref="ArgumentException">One or more values are out of range; the message lists each.</exception>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {DefaultSectionName} options: {string.Join(" ", errors)}");
        }
    }

    internal HttpResilienceOptions Clone() => (HttpResilienceOptions)MemberwiseClone();

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} must be between {min} and {max}; got {value}.");
        }
    }
}
