using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.Submitter.Api;

/// <summary>Reads each request's <see cref="ApiRequest"/>, asks <see cref="ApiAccess"/>, and answers a refusal as Problem Details.</summary>
public static class ApiAccessMiddleware
{
    /// <summary>Adds the check; place it after the exception handler and before the endpoints.</summary>
    public static IApplicationBuilder UseApiAccess(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            var access = context.RequestServices.GetRequiredService<ApiAccess>();
            if (access.Judge(Read(context)) is not { } refusal)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (refusal.Challenge is { } challenge)
            {
                context.Response.Headers.WWWAuthenticate = challenge;
            }

            await Results.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Detail, type: refusal.Type)
                .ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    /// <summary>What <see cref="ApiAccess"/> needs to know of <paramref name="context"/>'s request.</summary>
    public static ApiRequest Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : $"{request.PathBase}{request.Path}{request.QueryString}";
        var headerLength = 0;
        foreach (var (name, values) in request.Headers)
        {
            headerLength += name.Length;
            foreach (var value in values)
            {
                headerLength += value?.Length ?? 0;
            }
        }

        return new ApiRequest(
            request.Method,
            request.Path.Value ?? "/",
            request.Scheme,
            request.Host.Value ?? "",
            target.Length,
            headerLength,
            Single(request.Headers.Authorization),
            Single(request.Headers.Origin),
            Single(request.Headers["Sec-Fetch-Site"]),
            request.ContentType,
            context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0);
    }

    // A header given twice is read as both values joined, which matches no key, origin or site.
    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 0 ? null : values.ToString();
}
