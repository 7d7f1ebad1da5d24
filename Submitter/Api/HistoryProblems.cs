using FlinkBeam.Submitter.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// The API's answer, in one place, when the run history fails under a request: Problem Details that name the file and
/// the run or the data directory, never a stack trace. 507 Insufficient Storage when the data directory is full (with
/// its free space), 500 for a damaged record (with the run) or another failure of the history. The history has already
/// logged what happened, once; the request is not logged again.
/// </summary>
internal sealed class HistoryProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not RunStoreException failure)
        {
            return false;
        }

        var problem = Describe(failure);
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception })
            .ConfigureAwait(false);
    }

    /// <summary>The Problem Details of a failure of the history.</summary>
    public static ProblemDetails Describe(RunStoreException failure) => failure switch
    {
        HistoryFullException full => new ProblemDetails
        {
            Status = StatusCodes.Status507InsufficientStorage,
            Type = "https://www.rfc-editor.org/rfc/rfc4918#section-11.5",
            Title = "The data directory is full",
            Detail = full.Message,
            Extensions = { ["dataDirectory"] = full.DataDirectory, ["freeBytes"] = full.FreeBytes, ["file"] = full.FilePath },
        },
        DamagedRecordException damaged => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "A run's record is damaged",
            Detail = damaged.Message,
            Extensions = { ["runId"] = damaged.RunId, ["file"] = damaged.FilePath },
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "The run history cannot be used",
            Detail = failure.Message,
            Extensions = { ["file"] = failure.FilePath },
        },
    };
}
