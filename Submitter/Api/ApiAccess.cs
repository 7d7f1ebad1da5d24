using System.Net;
using System.Net.Http.Headers;
using FlinkBeam.Cluster.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using HealthPaths = Microsoft.Extensions.Hosting.Extensions;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// Who may use the API and what a request must look like, decided before any endpoint runs; <see cref="Judge"/> is a pure
/// function of the request, tested as a table. In order:
/// <list type="number">
/// <item>Size: a path and query over 8 KiB is 414, headers over 32 KiB are 431 (the server's own limits sit far above,
/// so these answers are Problem Details).</item>
/// <item>Host: only <c>localhost</c>, loopback addresses and the configured names (<c>Submitter:AllowedHosts</c>, the
/// hosts the Submitter was told to listen on) are answered, 400 otherwise: a web page cannot reach a Submitter on
/// loopback through a name of its own that it points at 127.0.0.1 (DNS rebinding).</item>
/// <item>Key: with <c>Submitter:ApiKey</c> set, every request but <c>GET /health</c> and <c>GET /alive</c> needs
/// <c>Authorization: Bearer &lt;key&gt;</c>, 401 otherwise.</item>
/// <item>Cross-site requests (every method but GET, HEAD, OPTIONS and TRACE changes state): a browser that marks the
/// request as coming from another site (<c>Sec-Fetch-Site</c>) or, where it does not send that header, names another
/// origin (<c>Origin</c>, <c>null</c> included) is refused with 403; a request without either header comes from a
/// program, not a page, and passes. This is the rule of Go's <c>net/http.CrossOriginProtection</c>. A body must be
/// JSON (415 otherwise), which no HTML form can send.</item>
/// </list>
/// </summary>
public sealed class ApiAccess
{
    /// <summary>The longest path and query answered; Kestrel's default request line limit.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>The most header bytes answered; Kestrel's default.</summary>
    public const int MaxHeaderLength = 32 * 1024;

    /// <summary>
    /// The server's own request line and header limits: above <see cref="MaxTargetLength"/> and
    /// <see cref="MaxHeaderLength"/>, so those are answered here as Problem Details. Beyond this the server itself ends
    /// the request with a bare status before any of the Submitter's code runs.
    /// </summary>
    public const int ServerLimit = 512 * 1024;

    private static readonly string[] OpenPaths = [HealthPaths.HealthEndpointPath, HealthPaths.AlivenessEndpointPath];

    private readonly ApiKey? _key;
    private readonly StringSegment[] _hosts;
    private readonly string _answers;

    /// <param name="key">The key callers must present, or null for none.</param>
    /// <param name="allowedHosts">Host names (or <c>*.domain</c> patterns, or <c>*</c>) answered besides localhost and loopback addresses.</param>
    public ApiAccess(ApiKey? key, IEnumerable<string> allowedHosts)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        _key = key;
        _hosts = allowedHosts.Distinct(StringComparer.OrdinalIgnoreCase).Select(h => new StringSegment(h)).ToArray();
        _answers = string.Join(", ", ["localhost", "loopback addresses", .. _hosts.Select(h => h.Value!)]);
    }

    /// <summary>Whether callers must present a key.</summary>
    public bool RequiresKey => _key is not null;

    /// <summary>Null when <paramref name="request"/> may go on to its endpoint; otherwise the answer it gets.</summary>
    public ApiRefusal? Judge(ApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TargetLength > MaxTargetLength)
        {
            return new ApiRefusal(StatusCodes.Status414UriTooLong, "The request's address is too long",
                $"The path and query take {request.TargetLength} characters; the API reads at most {MaxTargetLength}, so send large values in a JSON body.");
        }

        if (request.HeaderLength > MaxHeaderLength)
        {
            return new ApiRefusal(StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request's headers are too large",
                $"The headers take {request.HeaderLength} characters; the API reads at most {MaxHeaderLength}.",
                Type: "https://tools.ietf.org/html/rfc6585#section-5");
        }

        if (!IsAllowedHost(request.Host))
        {
            return new ApiRefusal(StatusCodes.Status400BadRequest, "Unknown host",
                $"The API does not answer requests for the host '{Shorten(request.Host)}'; it answers {_answers}. "
                + $"To reach it by that name, add the name to {SubmitterSettingNames.SectionName}:{SubmitterSettingNames.AllowedHosts}.");
        }

        if (_key is not null && !IsOpen(request) && !_key.Matches(ApiKey.FromAuthorization(request.Authorization)))
        {
            return request.Authorization is null
                ? new ApiRefusal(StatusCodes.Status401Unauthorized, "An API key is required",
                    $"This Submitter answers only callers that send its key ({SubmitterSettingNames.SectionName}:{SubmitterSettingNames.ApiKey}) as Authorization: Bearer <key>.",
                    Challenge: "Bearer realm=\"Submitter\"")
                : new ApiRefusal(StatusCodes.Status401Unauthorized, "The API key is not valid",
                    "The Authorization header does not carry this Submitter's key as Bearer <key>.",
                    Challenge: "Bearer realm=\"Submitter\", error=\"invalid_token\"");
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }

        if (CrossSite(request) is { } crossSite)
        {
            return new ApiRefusal(StatusCodes.Status403Forbidden, "Cross-site request refused", crossSite);
        }

        if ((request.HasBody || request.ContentType is not null) && !IsJson(request.ContentType))
        {
            return new ApiRefusal(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON", NotJson(request.ContentType, null));
        }

        return null;
    }

    /// <summary>The detail of a 415: what to send instead of <paramref name="contentType"/>, with <paramref name="example"/> when there is one.</summary>
    public static string NotJson(string? contentType, string? example) =>
        $"Send Content-Type: application/json with a JSON body{(example is null ? "" : " like " + example)}; got '{contentType ?? "no content type"}'.";

    private static bool IsOpen(ApiRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && OpenPaths.Contains(request.Path.Length > 1 ? request.Path.TrimEnd('/') : request.Path, StringComparer.OrdinalIgnoreCase);

    private bool IsAllowedHost(string host)
    {
        if (string.IsNullOrEmpty(host))
        {
            // HTTP/1.0 without a Host header: no browser sends such a request.
            return true;
        }

        var name = new HostString(host).Host;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name.Trim('[', ']'), out var address) && IsLoopback(address)))
        {
            return true;
        }

        return HostString.MatchesAny(host, _hosts);
    }

    internal static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static string? CrossSite(ApiRequest request)
    {
        if (request.FetchSite is { } site)
        {
            return site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) || site.Equals("none", StringComparison.OrdinalIgnoreCase)
                ? null
                : $"The browser marked this request as {site} (Sec-Fetch-Site); the API takes state-changing requests only from its own pages and from programs that are not browsers.";
        }

        if (request.Origin is not { } origin)
        {
            return null;
        }

        var own = $"{request.Scheme}://{request.Host}";
        return SameOrigin(origin, own)
            ? null
            : $"The request comes from a page of '{Shorten(origin)}' (Origin), not of this Submitter ('{Shorten(own)}'); the API takes state-changing requests only from its own origin and from programs that are not browsers.";
    }

    private static bool SameOrigin(string origin, string own) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var theirs)
        && Uri.TryCreate(own, UriKind.Absolute, out var ours)
        && theirs.AbsolutePath == "/" && string.IsNullOrEmpty(theirs.Query)
        && string.Equals(theirs.Scheme, ours.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(theirs.IdnHost, ours.IdnHost, StringComparison.OrdinalIgnoreCase)
        && theirs.Port == ours.Port;

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    // A header a caller chose goes back into the message, but never at length.
    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "...";
}
