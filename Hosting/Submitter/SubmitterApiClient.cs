using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace FlinkBeam.Hosting;

/// <summary>
/// The dashboard's calls to a Submitter's HTTP API, each with its API key as a bearer token. Every POST carries a JSON
/// body, as the API requires of state-changing requests. An answer is the value or the problem the Submitter (or the
/// network) gave, in a sentence fit for a command's result or an input's validation message.
/// </summary>
/// <param name="submitter">The Submitter.</param>
internal sealed class SubmitterApiClient(SubmitterResource submitter)
{
    // One connection pool for every call to every Submitter; a stream of run events holds one connection for as long as it lasts.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static readonly TimeSpan AddressTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary><c>POST /runs</c>: the run the Submitter accepted, or why it refused.</summary>
    public async Task<SubmitterAnswer<RunView>> StartRunAsync(string pipeline, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, SubmitterPaths.Runs, new RunRequestBody(pipeline, args), cancellationToken).ConfigureAwait(false);
        if (answer.Problem is { } problem)
        {
            return new(default, problem);
        }

        using var response = answer.Response!;
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new(JsonSerializer.Deserialize<RunView>(json, RunEventJson.Options), null, json);
    }

    /// <summary>
    /// <c>POST /runs/validate</c>: no problem when <c>POST /runs</c> would accept the run, else the problem it would answer.
    /// A Submitter that does not offer validation (404, 405) has no objection here; <c>POST /runs</c> still judges the run.
    /// </summary>
    public async Task<SubmitterProblem?> ValidateRunAsync(string pipeline, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, SubmitterPaths.ValidateRun, new RunRequestBody(pipeline, args), cancellationToken).ConfigureAwait(false);
        answer.Response?.Dispose();
        return answer.Problem is { Status: (int)HttpStatusCode.NotFound or (int)HttpStatusCode.MethodNotAllowed } ? null : answer.Problem;
    }

    /// <summary><c>POST /runs/cancel-active[?pipeline=]</c>: the runs it cancelled.</summary>
    public async Task<SubmitterAnswer<IReadOnlyList<RunView>>> CancelActiveAsync(string? pipeline, CancellationToken cancellationToken)
    {
        var path = pipeline is null ? SubmitterPaths.CancelActive : $"{SubmitterPaths.CancelActive}?pipeline={Uri.EscapeDataString(pipeline)}";
        var answer = await SendAsync(HttpMethod.Post, path, new { }, cancellationToken).ConfigureAwait(false);
        return answer.Problem is { } problem
            ? new(default, problem)
            : new((await ReadAsync<CancelledRuns>(answer.Response!, cancellationToken).ConfigureAwait(false))?.Cancelled ?? [], null);
    }

    /// <summary>
    /// <c>GET /runs/events</c> from <paramref name="lastEventId"/> (none: from the start). The response is the stream, or the
    /// problem of a Submitter that refused it; the caller disposes it. It is not timed out: a stream lasts.
    /// </summary>
    public Task<(HttpResponseMessage? Response, SubmitterProblem? Problem)> OpenEventsAsync(string? lastEventId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, SubmitterPaths.Events, body: null, cancellationToken, request =>
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }
        });

    /// <summary>
    /// Sends one request with the key: the successful response (the caller disposes it), or the problem. A stream (a
    /// request <paramref name="stream"/> prepares) is handed over once its headers arrive, and lasts; any other answer
    /// is due within <see cref="RequestTimeout"/>.
    /// </summary>
    private async Task<(HttpResponseMessage? Response, SubmitterProblem? Problem)> SendAsync(
        HttpMethod method, string path, object? body, CancellationToken cancellationToken, Action<HttpRequestMessage>? stream = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AddressTimeout);
        Uri url;
        try
        {
            url = await UrlAsync(path, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, NoAddress());
        }

        using var request = await RequestAsync(method, url, body, cancellationToken).ConfigureAwait(false);
        stream?.Invoke(request);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var response = stream is null
                ? await Http.SendAsync(request, timeout.Token).ConfigureAwait(false)
                : await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (response, null);
            }

            using (response)
            {
                return (null, await ProblemAsync(url, response, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (HttpRequestException e)
        {
            return (null, NoAnswer(url, e));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new SubmitterProblem(0, $"The Submitter did not answer {method} {url.AbsolutePath} within {RequestTimeout.TotalSeconds} s.", null));
        }
    }

    private async Task<Uri> UrlAsync(string path, CancellationToken cancellationToken)
    {
        var baseUrl = await submitter.HttpEndpoint.GetValueAsync(cancellationToken).ConfigureAwait(false);
        return new Uri(new Uri(baseUrl!), path);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, Uri url, object? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await submitter.ApiKeyParameter.GetValueAsync(cancellationToken).ConfigureAwait(false));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: RunEventJson.Options);
        }

        return request;
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            return await response.Content.ReadFromJsonAsync<T>(RunEventJson.Options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Problem Details' <c>detail</c> and <c>field</c>, or the status when the body is not Problem Details.</summary>
    private static async Task<SubmitterProblem> ProblemAsync(Uri url, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallback = $"The Submitter answered {response.RequestMessage?.Method} {url.AbsolutePath} with {status} {response.ReasonPhrase}.";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(RunEventJson.Options, cancellationToken).ConfigureAwait(false);
            return new SubmitterProblem(status, string.IsNullOrWhiteSpace(problem?.Detail) ? problem?.Title ?? fallback : problem.Detail, problem?.Field);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            return new SubmitterProblem(status, fallback, null);
        }
    }

    private static SubmitterProblem NoAnswer(Uri url, HttpRequestException e) =>
        new(0, $"The Submitter does not answer at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}", null);

    private SubmitterProblem NoAddress() =>
        new(0, $"The Submitter '{submitter.Name}' has no address yet: it has not started.", null);

    private sealed record RunRequestBody(string Pipeline, IReadOnlyList<string> Args);

    private sealed record CancelledRuns(IReadOnlyList<RunView>? Cancelled);

    private sealed record ProblemBody(string? Title, string? Detail, string? Field);
}

/// <summary>Why the Submitter did not do what was asked: the HTTP status (0 when it did not answer) and one sentence.</summary>
/// <param name="Status">The HTTP status, or 0 when there was no answer.</param>
/// <param name="Detail">What went wrong, fit to show a user.</param>
/// <param name="Field">The input at fault (<c>pipeline</c> or <c>args</c>), when the Submitter named one.</param>
internal sealed record SubmitterProblem(int Status, string Detail, string? Field);

/// <summary>What the Submitter answered: a value (and, where kept, its JSON as sent), or a problem.</summary>
internal sealed record SubmitterAnswer<T>(T? Value, SubmitterProblem? Problem, string? Json = null);
