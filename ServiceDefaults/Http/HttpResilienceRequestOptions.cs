namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>
/// Per-request switches read by <see cref="HttpResilienceHandler"/>, set through <see cref="HttpRequestMessage.Options"/>.
/// </summary>
public static class HttpResilienceRequestOptions
{
    /// <summary>
    /// True lets this request be retried even when its method is not idempotent (for example a gRPC unary
    /// call that only reads, which travels as POST); false sends it once even when its method is idempotent.
    /// Unset follows <see cref="HttpResilienceOptions.RetryNonIdempotentMethods"/>.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> AllowRetry = new("FlinkBeam.HttpResilience.AllowRetry");
}
