namespace FlinkBeam.Submitter.Api;

/// <summary>What <see cref="ApiAccess"/> judges a request by, read from it before any endpoint runs.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/runs</c>.</param>
/// <param name="Scheme">How the request reached the Submitter: <c>http</c> or <c>https</c>.</param>
/// <param name="Host">The <c>Host</c> header (with its port), empty when the request has none.</param>
/// <param name="TargetLength">The length of the path and query as sent.</param>
/// <param name="HeaderLength">The length of all header names and values.</param>
/// <param name="Authorization">The <c>Authorization</c> header.</param>
/// <param name="Origin">The <c>Origin</c> header a browser sends with a state-changing request.</param>
/// <param name="FetchSite">The <c>Sec-Fetch-Site</c> header a browser sends: <c>same-origin</c>, <c>same-site</c>, <c>cross-site</c> or <c>none</c>.</param>
/// <param name="ContentType">The <c>Content-Type</c> header.</param>
/// <param name="HasBody">Whether the request carries a body.</param>
public sealed record ApiRequest(
    string Method,
    string Path,
    string Scheme,
    string Host,
    int TargetLength,
    int HeaderLength,
    string? Authorization = null,
    string? Origin = null,
    string? FetchSite = null,
    string? ContentType = null,
    bool HasBody = false);
