using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>
/// Sends each request through a Polly pipeline: total timeout, retries with jittered exponential backoff for
/// transient failures (connection errors, 408, 429, 5xx, attempt timeouts), a circuit breaker per destination
/// and a timeout per attempt. Methods that are not idempotent are sent once unless the options or the request
/// allow more. Timeouts surface as <see cref="TaskCanceledException"/> with an inner <see cref="TimeoutException"/>,
/// as <see cref="HttpClient.Timeout"/> does, and an open circuit as <see cref="HttpRequestException"/>.
/// </summary>
public sealed class HttpResilienceHandler : DelegatingHandler
{
    private readonly HttpResiliencePipelineCache _pipelines;

    /// <summary>Creates a handler with its own pipelines, for clients built without the client factory.</summary>
    /// <param name="options">The behaviour; validated here (see <see cref="HttpResilienceOptions.Validate"/>).</param>
    /// <param name="logger">Receives a warning per retry and per opened circuit.</param>
    /// <param name="timeProvider">Clock for delays, timeouts and the breaker; the system clock when null.</param>
    public HttpResilienceHandler(HttpResilienceOptions options, ILogger<HttpResilienceHandler>? logger = null, TimeProvider? timeProvider = null)
        : this(new HttpResiliencePipelineCache(options, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System))
    {
    }

    internal HttpResilienceHandler(HttpResiliencePipelineCache pipelines)
    {
        _pipelines = pipelines;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _pipelines.Options;
        if (!options.Enabled || request.RequestUri is not { IsAbsoluteUri: true } requestUri)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var retryAllowed = options.MaxRetryAttempts > 0 && IsRetryAllowed(request, options);
        var snapshot = retryAllowed
            ? await HttpRequestSnapshot.CaptureAsync(request, cancellationToken).ConfigureAwait(false)
            : null;

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelineCache.RetryAllowedKey, retryAllowed);
        context.Properties.Set(HttpResiliencePipelineCache.RequestKey, request);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await _pipelines.GetPipeline(requestUri).ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    var attempt = state.Snapshot?.CreateAttempt() ?? state.Request;
                    try
                    {
                        var response = await state.Handler.SendAttemptAsync(attempt, ctx.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request, Snapshot: snapshot)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        switch (outcome.Exception)
        {
            case TimeoutRejectedException timeout:
                var message = $"{request.Method} {requestUri} timed out after {timeout.Timeout.TotalSeconds:0.###} s.";
                throw new TaskCanceledException(message, new TimeoutException(message, timeout));
            case BrokenCircuitException broken:
                throw new HttpRequestException(
                    HttpRequestError.Unknown,
                    $"{request.Method} {requestUri} was not sent: the circuit to {requestUri.GetLeftPart(UriPartial.Authority)} is open after repeated failures"
                    + (broken.RetryAfter is { } after ? $"; it will be tried again in {after.TotalSeconds:0.#} s." : "."),
                    broken);
        }

        outcome.ThrowIfException();
        var result = outcome.Result!;
        if (snapshot is not null)
        {
            result.RequestMessage = request;
        }

        return result;
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage attempt, CancellationToken cancellationToken) =>
        base.SendAsync(attempt, cancellationToken);

    private static bool IsRetryAllowed(HttpRequestMessage request, HttpResilienceOptions options) =>
        request.Options.TryGetValue(HttpResilienceRequestOptions.AllowRetry, out var allowed)
            ? allowed
            : options.RetryNonIdempotentMethods || HttpTransientFailure.IsIdempotent(request.Method);
}
