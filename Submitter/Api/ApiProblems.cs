using FlinkBeam.Cluster.Catalog;
using Microsoft.AspNetCore.Http;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// The API's answers to bad requests, as Problem Details. A 400 carries <c>field</c>, the input at fault
/// (<see cref="PipelineField"/> or <see cref="ArgsField"/>) where there is one, and a <c>detail</c> of one sentence fit
/// to show next to it.
/// </summary>
internal static class ApiProblems
{
    /// <summary>The <c>pipeline</c> of a run request or the query.</summary>
    public const string PipelineField = "pipeline";

    /// <summary>The <c>args</c> of a run request.</summary>
    public const string ArgsField = "args";

    public static IResult Malformed(string detail, string? field, PipelineCatalog? catalog = null) =>
        BadRequest("Malformed run request", detail, field, catalog);

    public static IResult UnknownPipeline(UnknownPipelineException e, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(catalog);
        return Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Unknown pipeline",
            detail: e.Message,
            extensions: new Dictionary<string, object?>
            {
                ["field"] = PipelineField,
                ["pipeline"] = e.Name,
                ["pipelines"] = catalog.Names.ToArray(),
            });
    }

    public static IResult BadRequest(string title, string detail, string? field, PipelineCatalog? catalog = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (catalog is not null)
        {
            extensions["pipelines"] = catalog.Names.ToArray();
        }

        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail, extensions: extensions);
    }
}
