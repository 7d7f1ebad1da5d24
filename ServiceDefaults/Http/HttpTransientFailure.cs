using System.Net;
using Polly;
using Polly.Timeout;

namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>The outcomes worth another attempt: the request may well succeed if simply sent again.</summary>
internal static class HttpTransientFailure
{
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode statusCode) =>
        statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)statusCode >= 500;

    /// <summary>Methods whose repetition has the same effect as a single call (RFC 9110 §9.2.2).</summary>
    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get
        || method == HttpMethod.Head
        || method == HttpMethod.Options
        || method == HttpMethod.Trace
        || method == HttpMethod.Put
        || method == HttpMethod.Delete;
}
