using System.Text.Json;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Records;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// The HTTP API: pipelines, runs, cancellation. Errors are Problem Details (RFC 9457) that name the bad value and,
/// where there is a choice, the allowed ones.
/// </summary>
public static class SubmitterApi
{
    public static IEndpointRouteBuilder MapSubmitterApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapGet("/pipelines", (PipelineCatalog catalog) =>
            Results.Ok(catalog.Pipelines.Select(p => PipelineSummary.From(p, catalog)).ToList()));

        endpoints.MapGet("/runs", ListRuns);

        endpoints.MapPost("/runs", StartRunAsync);

        endpoints.MapPost("/runs/cancel-active", CancelActiveAsync);

        endpoints.MapGet("/runs/{id}", (string id, IRunManager runs) =>
            runs.Get(id) is { } run ? Results.Ok(run) : UnknownRun(id));

        endpoints.MapPost("/runs/{id}/cancel", CancelAsync);

        return endpoints;
    }

    /// <summary>
    /// <c>GET /runs?limit=&amp;after=&amp;state=&amp;pipeline=</c>: a page of the history, newest first. When more runs follow, the
    /// <c>Link</c> header names the next page (<c>rel="next"</c>) and <c>X-Next-Cursor</c> holds its cursor.
    /// </summary>
    private static IResult ListRuns(HttpContext context, RunHistory history)
    {
        if (RunQueryParameters.TryRead(context.Request.Query, out var query) is { } problem)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad history query", detail: problem);
        }

        var page = history.QueryJson(query!);
        if (page.Next is { } next)
        {
            var link = RunQueryParameters.NextPage(context.Request.Path, context.Request.Query, next);
            context.Response.Headers.Link = $"<{link}>; rel=\"next\"";
            context.Response.Headers["X-Next-Cursor"] = next.ToString();
        }

        return Results.Stream(page.WriteToAsync, "application/json");
    }

    private static async Task<IResult> StartRunAsync(HttpRequest request, IRunManager runs, PipelineCatalog catalog, IOptions<SubmitterOptions> options, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The run request must be JSON",
                detail: $"Send Content-Type: application/json with a body like {{\"pipeline\":\"{catalog.Names.FirstOrDefault() ?? "wordcount"}\",\"args\":[]}}; got '{request.ContentType ?? "no content type"}'.");
        }

        RunSubmission? submission;
        try
        {
            submission = await request.ReadFromJsonAsync(ApiJson.Requests.Contract<RunSubmission>(), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Malformed($"The body is not a valid run request: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The run request is too large",
                detail: $"The API accepts request bodies of at most {options.Value.MaxRequestBodyBytes} bytes (Submitter:MaxRequestBodyBytes); pass large values to the pipeline in a file.");
        }

        if (submission is null || string.IsNullOrWhiteSpace(submission.Pipeline))
        {
            return Malformed($"The run request needs a \"pipeline\"; the catalog has: {string.Join(", ", catalog.Names)}.", catalog);
        }

        if (submission.Args?.Any(a => a is null) == true)
        {
            return Malformed("\"args\" must be an array of strings; it contains null.");
        }

        RunRecord run;
        try
        {
            run = await runs.StartAsync(new RunRequest(submission.Pipeline, submission.Args), cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownPipelineException e)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Unknown pipeline",
                detail: e.Message,
                extensions: new Dictionary<string, object?> { ["pipeline"] = e.Name, ["pipelines"] = catalog.Names.ToArray() });
        }
        catch (ArgumentException e)
        {
            return Malformed(e.Message);
        }

        return Results.Accepted($"/runs/{Uri.EscapeDataString(run.Id)}", run);
    }

    private static async Task<IResult> CancelAsync(string id, IRunManager runs, CancellationToken cancellationToken)
    {
        try
        {
            return Results.Ok(await runs.CancelAsync(id, cancellationToken).ConfigureAwait(false));
        }
        catch (RunNotFoundException)
        {
            return UnknownRun(id);
        }
        catch (RunNotActiveException e)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The run is not active",
                detail: e.Message,
                extensions: new Dictionary<string, object?> { ["runId"] = e.RunId, ["state"] = e.State.ToString() });
        }
        catch (RunOwnedElsewhereException e)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The run belongs to another Submitter",
                detail: e.Message,
                extensions: new Dictionary<string, object?> { ["runId"] = e.RunId, ["owner"] = e.Owner });
        }
    }

    private static async Task<IResult> CancelActiveAsync(IRunManager runs, CancellationToken cancellationToken)
    {
        var active = runs.Active();
        var cancelled = await Task.WhenAll(active.Select(async run =>
        {
            try
            {
                return await runs.CancelAsync(run.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (RunNotActiveException)
            {
                // It ended on its own between the listing and the cancel.
                return null;
            }
        })).ConfigureAwait(false);
        return Results.Ok(new CancelActiveResult(cancelled.OfType<RunRecord>().ToList()));
    }

    private static IResult UnknownRun(string id) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown run",
        detail: $"No run has the id '{id}'.",
        extensions: new Dictionary<string, object?> { ["runId"] = id });

    private static IResult Malformed(string detail, PipelineCatalog? catalog = null) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed run request",
        detail: detail,
        extensions: catalog is null ? null : new Dictionary<string, object?> { ["pipelines"] = catalog.Names.ToArray() });
}
