using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace FlinkBeam.ServiceDefaults.Telemetry;

/// <summary>
/// ASP.NET Core's own request activity carries no tags and is named
/// <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c>; without the instrumentation package this middleware adds
/// the HTTP server semantic-convention attributes and names the span <c>{method} {route}</c>.
/// The query string is left out: it can carry secrets.
/// </summary>
internal sealed class ServerActivityEnricher : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(EnrichAsync);
        next(app);
    };

    private static async Task EnrichAsync(HttpContext context, RequestDelegate next)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.IsAllDataRequested)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        activity.DisplayName = request.Method;
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.PathBase.Add(request.Path).Value);
        activity.SetTag("server.address", request.Host.Host);
        if (request.Host.Port is { } port)
        {
            activity.SetTag("server.port", port);
        }

        activity.SetTag("network.protocol.version", ProtocolVersion(request.Protocol));
        if (request.Headers.UserAgent is { Count: > 0 } userAgent)
        {
            activity.SetTag("user_agent.original", userAgent.ToString());
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.SetTag("error.type", ex.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }

        if ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = $"{request.Method} {route}";
        }

        var status = context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.0" => "1.0",
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        _ => protocol,
    };
}
