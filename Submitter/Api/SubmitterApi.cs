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
/// The HTTP API: pipelines, runs, validation, cancellation. Who may call it and what a request must look like is decided
/// before any of these endpoints runs (<see cref="ApiAccess"/>). Errors are Problem Details (RFC 9457) that name the bad
/// value and, where there is a choice, the allowed ones.
/// </summary>
public static class SubmitterApi
{
    public static IEndpointRouteBuilder MapSubmitterApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapGet("/pipelines", (PipelineCatalog catalog) =>
            Results.Ok(catalog.Pipelines.Select(PipelineSummary.From).ToList()));

        endpoints.MapGet("/runs", ListRuns);

        endpoints.MapPost("/runs", StartRunAsync);

        endpoints.MapPost("/runs/validate", ValidateRunAsync);

        endpoints.MapPost("/runs/cancel-active", CancelActiveAsync);

        endpoints.MapGet("/runs/{id}", (string id, IRunManager runs) =>
            runs.Get(id) is { } run ? Results.Ok(run) : UnknownRun(id));

        endpoints.MapPost("/runs/{id}/cancel", CancelAsync);

        endpoints.MapRunEvents();

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
        var (runRequest, problem) = await RunSubmissionBody.ReadAsync(request, catalog, options.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        RunRecord run;
        try
        {
            run = await runs.StartAsync(runRequest!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UnknownPipelineException or ArgumentException)
        {
            return Refused(e, catalog);
        }

        return Results.Accepted($"/runs/{Uri.EscapeDataString(run.Id)}", run);
    }

    /// <summary>
    /// <c>POST /runs/validate</c>: the checks of <c>POST /runs</c> on the same body, storing and starting nothing. 204 when
    /// <c>POST /runs</c> would accept it, else the same Problem Details.
    /// </summary>
    private static async Task<IResult> ValidateRunAsync(HttpRequest request, RunManager runs, PipelineCatalog catalog, IOptions<SubmitterOptions> options, CancellationToken cancellationToken)
    {
        var (runRequest, problem) = await RunSubmissionBody.ReadAsync(request, catalog, options.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            runs.Validate(runRequest!);
        }
        catch (Exception e) when (e is UnknownPipelineException or ArgumentException)
        {
            return Refused(e, catalog);
        }

        return Results.NoContent();
    }

    /// <summary>A run request the engine refused: an unknown pipeline, or arguments it cannot take.</summary>
    private static IResult Refused(Exception e, PipelineCatalog catalog) => e is UnknownPipelineException unknown
        ? ApiProblems.UnknownPipeline(unknown, catalog)
        : ApiProblems.Malformed(e.Message, ApiProblems.ArgsField);

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

    /// <summary>
    /// <c>POST /runs/cancel-active[?pipeline=name]</c>: cancels this Submitter's active runs, or only those of one catalog
    /// pipeline.
    /// </summary>
    private static async Task<IResult> CancelActiveAsync(HttpContext context, IRunManager runs, PipelineCatalog catalog, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => !string.Equals(k, ApiProblems.PipelineField, StringComparison.OrdinalIgnoreCase)) is { } unknown)
        {
            return ApiProblems.BadRequest("Bad cancel request", $"'{unknown}' is not a query parameter of /runs/cancel-active; use {ApiProblems.PipelineField}.", null);
        }

        string? pipeline = null;
        if (query.TryGetValue(ApiProblems.PipelineField, out var values))
        {
            pipeline = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(pipeline))
            {
                return ApiProblems.BadRequest("Bad cancel request",
                    $"pipeline must name one pipeline of the catalog: {string.Join(", ", catalog.Names)}.", ApiProblems.PipelineField, catalog);
            }

            if (!catalog.TryGet(pipeline, out _))
            {
                return ApiProblems.UnknownPipeline(new UnknownPipelineException(pipeline, catalog.Names), catalog);
            }
        }

        var active = runs.Active().Where(r => pipeline is null || r.Pipeline == pipeline);
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
}
