using FlinkBeam.ServiceDefaults.Http;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class HttpResilienceOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_match_the_standard_resilience_handler()
    {
        var options = new HttpResilienceOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalRequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.False(options.RetryNonIdempotentMethods);
    }

    [Fact]
    public void Every_invalid_value_is_reported_with_its_range_and_value()
    {
        var options = new HttpResilienceOptions
        {
            TotalRequestTimeout = TimeSpan.FromSeconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = 101,
            RetryDelay = TimeSpan.FromSeconds(-1),
            CircuitBreakerFailureRatio = 0,
            CircuitBreakerMinimumThroughput = 1,
            CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(100),
        };

        var errors = options.Validate();

        Assert.Contains("AttemptTimeout (00:00:05) must not exceed TotalRequestTimeout (00:00:01).", errors);
        Assert.Contains("MaxRetryAttempts must be between 0 and 100; got 101.", errors);
        Assert.Contains(errors, e => e.StartsWith("RetryDelay must be between 00:00:00", StringComparison.Ordinal) && e.EndsWith("got -00:00:01.", StringComparison.Ordinal));
        Assert.Contains("CircuitBreakerFailureRatio must be greater than 0 and at most 1; got 0.", errors);
        Assert.Contains("CircuitBreakerMinimumThroughput must be at least 2; got 1.", errors);
        Assert.Contains(errors, e => e.StartsWith("CircuitBreakerBreakDuration must be between 00:00:00.5000000", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void A_handler_refuses_invalid_options()
    {
        var options = new HttpResilienceOptions { MaxRetryAttempts = -3 };

        var error = Assert.Throws<ArgumentException>(() => new HttpResilienceHandler(options));

        Assert.Contains("MaxRetryAttempts must be between 0 and 100; got -3.", error.Message);
    }
}
