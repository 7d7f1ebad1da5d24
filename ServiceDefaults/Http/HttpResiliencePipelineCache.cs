using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>
/// One pipeline per destination (scheme, host and port), shared by every handler instance: the client factory
/// recycles handlers every few minutes, and a circuit breaker that forgot its state with them would never open
/// for long, while one breaker for all destinations would let one broken service stop calls to the others.
/// </summary>
internal sealed class HttpResiliencePipelineCache
{
    public static readonly ResiliencePropertyKey<bool> RetryAllowedKey = new("FlinkBeam.HttpResilience.RetryAllowed");
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("FlinkBeam.HttpResilience.Request");

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines =
        new(StringComparer.OrdinalIgnoreCase);

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    public HttpResiliencePipelineCache(HttpResilienceOptions options, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        Options = options.Clone();
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public HttpResilienceOptions Options { get; }

    public ResiliencePipeline<HttpResponseMessage> GetPipeline(Uri requestUri) =>
        _pipelines.GetOrAdd(requestUri.GetLeftPart(UriPartial.Authority), Build);

    private ResiliencePipeline<HttpResponseMessage> Build(string destination)
    {
        var options = Options;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "http",
            InstanceName = destination,
            TimeProvider = _timeProvider,
        };

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalRequestTimeout });

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                UseJitter = options.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.GetValue(RetryAllowedKey, false) && HttpTransientFailure.IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    LogRetry(args.Context, args.Outcome, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = "circuit-breaker",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpTransientFailure.IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                _logger.LogWarning(
                    "Circuit to {Destination} opened for {BreakDuration} after {Outcome}.",
                    destination,
                    args.BreakDuration,
                    Describe(args.Outcome));
                return default;
            },
            OnClosed = _ =>
            {
                _logger.LogInformation("Circuit to {Destination} closed again.", destination);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
        return builder.Build();
    }

    /// <summary>Honours a server's Retry-After (429, 503), capped like any other delay.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter is null)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _timeProvider.GetUtcNow() : null);
        if (delay is null)
        {
            return null;
        }

        return delay.Value < TimeSpan.Zero ? TimeSpan.Zero
            : delay.Value > Options.MaxRetryDelay ? Options.MaxRetryDelay
            : delay.Value;
    }

    private void LogRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int retry, TimeSpan delay)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        context.Properties.TryGetValue(RequestKey, out var request);
        _logger.LogWarning(
            "Retrying {Method} {Uri} after {Outcome} (retry {Retry} of {MaxRetries}) in {DelayMs} ms.",
            request?.Method,
            request?.RequestUri,
            Describe(outcome),
            retry,
            Options.MaxRetryAttempts,
            (long)delay.TotalMilliseconds);
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception
            ? $"{exception.GetType().Name}: {exception.Message}"
            : $"HTTP {(int)outcome.Result!.StatusCode}";
}
