using System.Globalization;
using System.Text.Json;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Runs;
using Microsoft.AspNetCore.Http;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// Reads the body of <c>POST /runs</c> and <c>POST /runs/validate</c> (<see cref="RunSubmission"/>). A body that cannot
/// be read is answered in the API's own words: which field, what was expected; never the serializer's message, which
/// names .NET types.
/// </summary>
internal static class RunSubmissionBody
{
    /// <summary>The request, or the problem the caller gets instead (400, 413, 415).</summary>
    public static async Task<(RunRequest? Request, IResult? Problem)> ReadAsync(
        HttpRequest request, PipelineCatalog catalog, int maxBodyBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The run request must be JSON",
                detail: ApiAccess.NotJson(request.ContentType, Example(catalog))));
        }

        if (request.ContentLength == 0)
        {
            return (null, ApiProblems.Malformed($"The body is empty; send a JSON object like {Example(catalog)}.", null));
        }

        RunSubmission? submission;
        try
        {
            submission = await request.ReadFromJsonAsync(ApiJson.Requests.Contract<RunSubmission>(), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return (null, Describe(e, catalog));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The run request is too large",
                detail: $"The API accepts request bodies of at most {maxBodyBytes} bytes (Submitter:MaxRequestBodyBytes); pass large values to the pipeline in a file."));
        }
        catch (BadHttpRequestException e)
        {
            return (null, ApiProblems.Malformed($"The body could not be read: {e.Message}", null));
        }

        if (submission is null || string.IsNullOrWhiteSpace(submission.Pipeline))
        {
            return (null, ApiProblems.Malformed(
                $"The run request needs a \"pipeline\"; the catalog has: {string.Join(", ", catalog.Names)}.", ApiProblems.PipelineField, catalog));
        }

        if (submission.Args?.Any(a => a is null) == true)
        {
            return (null, ApiProblems.Malformed("\"args\" must be an array of strings; it contains null.", ApiProblems.ArgsField));
        }

        return (new RunRequest(submission.Pipeline, submission.Args), null);
    }

    /// <summary>What is wrong with a body the serializer could not read, from where it stopped (its path).</summary>
    internal static IResult Describe(JsonException e, PipelineCatalog catalog)
    {
        if (e.InnerException is JsonException)
        {
            // The reader's own error: the text is not JSON at all.
            return ApiProblems.Malformed(
                $"The body is not valid JSON: it breaks off or has a syntax error at line {e.LineNumber + 1 ?? 1}, byte {e.BytePositionInLine + 1 ?? 1}.", null);
        }

        var path = e.Path ?? "$";
        var field = FieldOf(path);
        if (field is null)
        {
            return ApiProblems.Malformed($"The body must be a JSON object like {Example(catalog)}.", null);
        }

        if (field.Equals(ApiProblems.PipelineField, StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Malformed(
                $"\"pipeline\" must be a string naming a pipeline; the catalog has: {string.Join(", ", catalog.Names)}.", ApiProblems.PipelineField, catalog);
        }

        if (field.Equals(ApiProblems.ArgsField, StringComparison.OrdinalIgnoreCase))
        {
            var index = path.IndexOf('[', StringComparison.Ordinal) is var open and >= 0
                && int.TryParse(path.AsSpan(open + 1).TrimEnd(']'), NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                    ? i
                    : (int?)null;
            return ApiProblems.Malformed(
                index is { } n ? $"args[{n}] must be a string." : "\"args\" must be an array of strings, like [\"--min-count\",\"2\"].",
                ApiProblems.ArgsField);
        }

        return ApiProblems.Malformed($"\"{field}\" is not a field of a run request; it has \"pipeline\" and \"args\".", null);
    }

    private static string Example(PipelineCatalog catalog) =>
        $"{{\"pipeline\":\"{catalog.Names.FirstOrDefault() ?? "wordcount"}\",\"args\":[]}}";

    // "$.args[2]" -> args; "$['odd name']" -> odd name; "$" -> null.
    private static string? FieldOf(string path)
    {
        if (path.StartsWith("$['", StringComparison.Ordinal) && path.IndexOf("']", 3, StringComparison.Ordinal) is var end and > 3)
        {
            return path[3..end];
        }

        if (!path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[2..];
        var stop = rest.IndexOfAny(['.', '[']);
        return stop < 0 ? rest : rest[..stop];
    }
}
