using FlinkBeam.Submitter.Api;

namespace FlinkBeam.Submitter.Tests;

/// <summary><see cref="ApiAccess.Judge"/> as a table: sizes, hosts, the key, cross-site requests and JSON bodies, in that order.</summary>
public sealed class ApiAccessTests
{
    private const string Key = "s3cret-key-0123456789";

    private static readonly ApiRequest Get = new("GET", "/runs", "http", "localhost:5080", 5, 100);

    private static readonly ApiRequest Post = Get with { Method = "POST", Path = "/runs/cancel-active" };

    private static readonly ApiAccess Open = new(null, ["submitter.example.test", "*.corp.example"]);

    private static readonly ApiAccess Keyed = new(new ApiKey(Key), []);

    // The request, whether the key is required, and the status it is answered with (null: it goes on to its endpoint).
    private static readonly Dictionary<string, (ApiRequest Request, bool Keyed, int? Status)> Cases = new()
    {
        ["a GET on loopback"] = (Get, false, null),
        ["a path and query at the limit"] = (Get with { TargetLength = ApiAccess.MaxTargetLength }, false, null),
        ["a path and query over the limit"] = (Get with { TargetLength = ApiAccess.MaxTargetLength + 1 }, false, 414),
        ["headers over the limit"] = (Get with { HeaderLength = ApiAccess.MaxHeaderLength + 1 }, false, 431),
        ["an address over the limit, before the key"] = (Get with { TargetLength = 100_000 }, true, 414),

        ["Host localhost without a port"] = (Get with { Host = "LocalHost" }, false, null),
        ["Host 127.0.0.1"] = (Get with { Host = "127.0.0.1:5080" }, false, null),
        ["Host 127.8.9.10"] = (Get with { Host = "127.8.9.10:5080" }, false, null),
        ["Host [::1]"] = (Get with { Host = "[::1]:5080" }, false, null),
        ["Host [::ffff:127.0.0.1]"] = (Get with { Host = "[::ffff:127.0.0.1]:5080" }, false, null),
        ["no Host header (HTTP/1.0)"] = (Get with { Host = "" }, false, null),
        ["a configured host"] = (Get with { Host = "Submitter.Example.Test:5080" }, false, null),
        ["a host of a configured domain pattern"] = (Get with { Host = "a.corp.example" }, false, null),
        ["a foreign host"] = (Get with { Host = "evil.example:5080" }, false, 400),
        ["a name ending in a loopback address"] = (Get with { Host = "127.0.0.1.evil.example" }, false, 400),
        ["a subdomain of localhost"] = (Get with { Host = "evil.localhost:5080" }, false, 400),
        ["the unspecified address"] = (Get with { Host = "0.0.0.0:5080" }, false, 400),
        ["another address of this machine"] = (Get with { Host = "192.168.1.10:5080" }, false, 400),
        ["a foreign host, before the key"] = (Get with { Host = "evil.example" }, true, 400),

        ["no key"] = (Get, true, 401),
        ["a wrong key"] = (Get with { Authorization = "Bearer not-the-key-at-all" }, true, 401),
        ["the key in another scheme"] = (Get with { Authorization = "Basic " + Key }, true, 401),
        ["the key"] = (Get with { Authorization = "Bearer " + Key }, true, null),
        ["the key, an unknown path"] = (Get with { Path = "/nowhere", Authorization = "Bearer " + Key }, true, null),
        ["no key, an unknown path"] = (Get with { Path = "/nowhere" }, true, 401),
        ["no key, GET /health"] = (Get with { Path = "/health" }, true, null),
        ["no key, GET /Health/"] = (Get with { Path = "/Health/" }, true, null),
        ["no key, HEAD /alive"] = (Get with { Method = "HEAD", Path = "/alive" }, true, null),
        ["no key, POST /health"] = (Post with { Path = "/health" }, true, 401),
        ["no key, GET /health/more"] = (Get with { Path = "/health/more" }, true, 401),

        ["a POST without browser headers or body"] = (Post, false, null),
        ["a POST from a page of another site"] = (Post with { FetchSite = "cross-site", Origin = "http://evil.example" }, false, 403),
        ["a POST from a page of the same site, another origin"] = (Post with { FetchSite = "same-site" }, false, 403),
        ["a POST from the Submitter's own page"] = (Post with { FetchSite = "same-origin", Origin = "http://localhost:5080" }, false, null),
        ["a POST the user started (Sec-Fetch-Site none)"] = (Post with { FetchSite = "none" }, false, null),
        ["a foreign Origin"] = (Post with { Origin = "http://evil.example" }, false, 403),
        ["Origin null"] = (Post with { Origin = "null" }, false, 403),
        ["an Origin of another port"] = (Post with { Origin = "http://localhost:5081" }, false, 403),
        ["an Origin of another scheme"] = (Post with { Origin = "https://localhost:5080" }, false, 403),
        ["an Origin of another loopback name"] = (Post with { Origin = "http://127.0.0.1:5080" }, false, 403),
        ["the own Origin in capitals"] = (Post with { Origin = "HTTP://LOCALHOST:5080" }, false, null),
        ["the own Origin with the default port"] = (Post with { Host = "localhost", Origin = "http://localhost:80" }, false, null),
        ["the own Origin with a path"] = (Post with { Origin = "http://localhost:5080/x" }, false, 403),
        ["a GET with a foreign Origin"] = (Get with { Origin = "http://evil.example", FetchSite = "cross-site" }, false, null),
        ["a DELETE from a page of another site"] = (Get with { Method = "DELETE", FetchSite = "cross-site" }, false, 403),
        ["a cross-site POST with the key"] = (Post with { Origin = "http://evil.example", Authorization = "Bearer " + Key }, true, 403),
        ["a cross-site POST without the key"] = (Post with { Origin = "http://evil.example" }, true, 401),

        ["a form body"] = (Post with { ContentType = "application/x-www-form-urlencoded", HasBody = true }, false, 415),
        ["a form content type without a body"] = (Post with { ContentType = "application/x-www-form-urlencoded" }, false, 415),
        ["a multipart body"] = (Post with { ContentType = "multipart/form-data; boundary=x", HasBody = true }, false, 415),
        ["a text body"] = (Post with { ContentType = "text/plain", HasBody = true }, false, 415),
        ["a body without a content type"] = (Post with { HasBody = true }, false, 415),
        ["a JSON body"] = (Post with { ContentType = "application/json", HasBody = true }, false, null),
        ["a JSON body with a charset"] = (Post with { ContentType = "application/json; charset=utf-8", HasBody = true }, false, null),
        ["a +json body"] = (Post with { ContentType = "application/merge-patch+json", HasBody = true }, false, null),
        ["a GET with a form body"] = (Get with { ContentType = "application/x-www-form-urlencoded", HasBody = true }, false, null),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void A_request_goes_on_or_is_answered_with_the_status_its_first_problem_calls_for(string name)
    {
        var (request, keyed, status) = Cases[name];

        var refusal = (keyed ? Keyed : Open).Judge(request);

        Assert.Equal(status, refusal?.Status);
        if (refusal is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(refusal.Title));
            Assert.EndsWith(".", refusal.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, refusal.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_401_challenges_for_a_Bearer_key_and_says_whether_one_was_sent()
    {
        var missing = Keyed.Judge(Get)!;
        var wrong = Keyed.Judge(Get with { Authorization = "Bearer wrong" })!;

        Assert.Equal("Bearer realm=\"Submitter\"", missing.Challenge);
        Assert.Contains("Authorization: Bearer <key>", missing.Detail, StringComparison.Ordinal);
        Assert.Contains("Submitter:ApiKey", missing.Detail, StringComparison.Ordinal);
        Assert.Equal("Bearer realm=\"Submitter\", error=\"invalid_token\"", wrong.Challenge);
    }

    [Fact]
    public void Refusals_name_what_was_refused_and_what_is_answered()
    {
        Assert.Equal(
            "The API does not answer requests for the host 'evil.example:5080'; it answers localhost, loopback addresses, submitter.example.test, *.corp.example. "
            + "To reach it by that name, add the name to Submitter:AllowedHosts.",
            Open.Judge(Get with { Host = "evil.example:5080" })!.Detail);
        Assert.Contains("'http://evil.example' (Origin)", Open.Judge(Post with { Origin = "http://evil.example" })!.Detail, StringComparison.Ordinal);
        Assert.Contains("cross-site (Sec-Fetch-Site)", Open.Judge(Post with { FetchSite = "cross-site" })!.Detail, StringComparison.Ordinal);
        Assert.Equal(
            "Send Content-Type: application/json with a JSON body; got 'application/x-www-form-urlencoded'.",
            Open.Judge(Post with { ContentType = "application/x-www-form-urlencoded", HasBody = true })!.Detail);
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-5", Open.Judge(Get with { HeaderLength = 40_000 })!.Type);
    }

    [Fact]
    public void Every_host_is_answered_with_the_pattern_star()
    {
        var any = new ApiAccess(null, ["*"]);

        Assert.Null(any.Judge(Get with { Host = "evil.example" }));
        Assert.False(any.RequiresKey);
        Assert.True(Keyed.RequiresKey);
    }
}
