using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// The real Submitter in service mode (<c>Submitter serve</c>, see <see cref="SubmitterProcess"/>) as a child process, configured through the
/// environment like the AppHost configures it, listening on an ephemeral loopback port, with an HTTP client for its API.
/// </summary>
internal sealed class ServiceSubmitterProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "Now listening on: ";

    private ServiceSubmitterProcess(SubmitterProcess process, Uri address)
    {
        Process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public SubmitterProcess Process { get; }

    /// <summary>The address the service reported it listens on.</summary>
    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts the service with <paramref name="environment"/> on <paramref name="urls"/> and waits until it listens; an
    /// address of every interface is reached through 127.0.0.1.
    /// </summary>
    public static async Task<ServiceSubmitterProcess> StartAsync(
        IDictionary<string, string> environment, CancellationToken cancellationToken, string urls = "http://127.0.0.1:0")
    {
        var process = SubmitterProcess.Start(["serve", $"--urls={urls}"], environment: environment);
        try
        {
            var line = await process.WaitForOutputAsync(l => l.Contains(ListeningPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60), cancellationToken);
            var address = new UriBuilder(line[(line.IndexOf(ListeningPrefix, StringComparison.Ordinal) + ListeningPrefix.Length)..].Trim());
            if (address.Host is "0.0.0.0" or "[::]")
            {
                address.Host = "127.0.0.1";
            }

            return new ServiceSubmitterProcess(process, address.Uri);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>POSTs <paramref name="json"/> as it is (null: no body), with Content-Type application/json.</summary>
    public Task<ApiResponse> PostAsync(string path, string? json = null) => SendAsync(HttpMethod.Post, path, json);

    /// <summary>Sends a request; <paramref name="headers"/> adds headers such as a browser's <c>Origin</c>, <c>Host</c> or <c>Authorization</c>.</summary>
    public async Task<ApiResponse> SendAsync(
        HttpMethod method, string path, string? json = null, string mediaType = "application/json", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ArgumentException($"{name} is not a request header HttpClient sends.", nameof(headers));
            }
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType, response.Headers.Location, text)
        {
            Challenge = response.Headers.WwwAuthenticate.ToString(),
        };
    }

    /// <summary>
    /// Writes <paramref name="head"/> (request line and headers, <c>\r\n</c> each, without the empty line) on a new
    /// connection as it is, for requests HttpClient will not make (an address longer than a URI may be), and reads the
    /// answer the server gives before it closes the connection.
    /// </summary>
    public async Task<ApiResponse> SendRawAsync(string head)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Address.Host, Address.Port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "Connection: close\r\n\r\n"), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(ct);
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = answer[..split].Split("\r\n");
        var status = (HttpStatusCode)int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = answer[(split + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new ApiResponse(status, headers.TryGetValue("Content-Type", out var type) ? MediaTypeHeaderValue.Parse(type) : null, null, body);
    }

    private static string Unchunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..end].Split(';')[0], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }

    /// <summary>Starts a run of <paramref name="pipeline"/> and returns its id (asserting 202 Accepted).</summary>
    public async Task<string> StartRunAsync(string pipeline, params string[] args)
    {
        var response = await PostAsync("/runs", JsonSerializer.Serialize(new { pipeline, args }));
        Assert.True(response.Status == HttpStatusCode.Accepted, $"POST /runs {pipeline}: {response}");
        return response.Json.GetProperty("id").GetString()!;
    }

    /// <summary>How many runs <c>GET /runs</c> lists (up to its default page).</summary>
    public async Task<int> RunCountAsync()
    {
        var response = await GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.GetArrayLength();
    }

    /// <summary>Polls <c>GET /runs/{id}</c> until <paramref name="condition"/> holds; returns that record.</summary>
    public async Task<JsonElement> WaitForRunAsync(string id, Func<JsonElement, bool> condition, string what)
    {
        JsonElement run = default;
        await EngineHarness.WaitUntilAsync(async () =>
        {
            var response = await GetAsync($"/runs/{id}");
            Assert.True(response.Status == HttpStatusCode.OK, $"GET /runs/{id}: {response}");
            run = response.Json;
            return condition(run);
        }, $"run {id} {what}\nstdout:\n{Process.Stdout}\nstderr:\n{Process.Stderr}");
        return run;
    }

    /// <summary>Polls until the run reached a terminal state; returns its final record.</summary>
    public Task<JsonElement> WaitForEndAsync(string id) =>
        WaitForRunAsync(id, r => State(r) is "Succeeded" or "Failed" or "Cancelled" or "TimedOut", "ends");

    public static string? State(JsonElement run) => run.GetProperty("state").GetString();

    /// <summary>Polls until <paramref name="path"/> answers <paramref name="status"/>.</summary>
    public Task WaitForStatusAsync(string path, HttpStatusCode status) =>
        EngineHarness.WaitUntilAsync(async () => (await GetAsync(path)).Status == status, $"GET {path} answers {(int)status}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}

/// <summary>An answer of the Submitter's API, body kept as text.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, MediaTypeHeaderValue? ContentType, Uri? Location, string Body)
{
    /// <summary>The <c>WWW-Authenticate</c> header, empty when there is none.</summary>
    public string Challenge { get; init; } = "";

    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Body);

    /// <summary>Asserts an RFC 9457 Problem Details answer with this status and returns its body.</summary>
    public JsonElement AssertProblem(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {this}");
        Assert.Equal("application/problem+json", ContentType?.MediaType);
        var problem = Json;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), Body);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()), Body);
        return problem;
    }

    public override string ToString() => $"{(int)Status} {ContentType}: {Body}";
}
