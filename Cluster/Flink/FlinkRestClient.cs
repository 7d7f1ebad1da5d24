using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FlinkBeam.Cluster.Flink;

/// <summary>
/// Typed client of a Flink JobManager's REST API. Every failure (non-success status, malformed JSON, timeout,
/// no connection, an open circuit) is a <see cref="FlinkRestException"/> naming the path; the caller's own cancellation
/// stays an <see cref="OperationCanceledException"/>.
/// </summary>
/// <param name="http">A client whose BaseAddress is the Flink REST base ending in '/', e.g. http://localhost:8081/:
/// the one <see cref="FlinkRestClientServiceCollectionExtensions.AddFlinkRestClient"/> registers, or any other whose
/// Timeout bounds each call.</param>
public sealed class FlinkRestClient(HttpClient http)
{
    private const int MaxErrorExcerpt = 300;
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>GET /overview.</summary>
    public async Task<FlinkOverview> GetOverviewAsync(CancellationToken ct = default)
    {
        const string path = "/overview";
        var dto = await GetJsonAsync(path, FlinkRestJsonContext.Default.OverviewDto, ct).ConfigureAwait(false);
        return new FlinkOverview(
            Required(dto.TaskManagers, "taskmanagers", path),
            Required(dto.SlotsTotal, "slots-total", path),
            Required(dto.SlotsAvailable, "slots-available", path),
            dto.JobsRunning ?? 0, dto.JobsFinished ?? 0, dto.JobsCancelled ?? 0, dto.JobsFailed ?? 0,
            dto.FlinkVersion, dto.FlinkCommit);
    }

    /// <summary>GET /taskmanagers.</summary>
    public async Task<IReadOnlyList<FlinkTaskManager>> GetTaskManagersAsync(CancellationToken ct = default)
    {
        const string path = "/taskmanagers";
        var dto = await GetJsonAsync(path, FlinkRestJsonContext.Default.TaskManagersDto, ct).ConfigureAwait(false);
        var list = Required(dto.TaskManagers, "taskmanagers", path);
        return list.Select((tm, i) => new FlinkTaskManager(
                Required(tm.Id, $"taskmanagers[{i}].id", path), tm.Path, tm.DataPort ?? -1, tm.TimeSinceLastHeartbeat ?? 0,
                Required(tm.SlotsNumber, $"taskmanagers[{i}].slotsNumber", path),
                Required(tm.FreeSlots, $"taskmanagers[{i}].freeSlots", path)))
            .ToList();
    }

    /// <summary>GET /jobs/overview: every job the JobManager knows, running or finished.</summary>
    public async Task<IReadOnlyList<FlinkJobSummary>> GetJobsOverviewAsync(CancellationToken ct = default)
    {
        const string path = "/jobs/overview";
        var dto = await GetJsonAsync(path, FlinkRestJsonContext.Default.JobsOverviewDto, ct).ConfigureAwait(false);
        var jobs = Required(dto.Jobs, "jobs", path);
        return jobs.Select((j, i) => new FlinkJobSummary(
                Required(j.Id, $"jobs[{i}].jid", path), Required(j.Name, $"jobs[{i}].name", path),
                Required(j.State, $"jobs[{i}].state", path), j.StartTime ?? -1, j.EndTime ?? -1, j.Duration ?? 0,
                j.LastModification ?? 0))
            .ToList();
    }

    /// <summary>GET /jobs/{jid}.</summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a Flink job id (32 hex characters).</exception>
    public async Task<FlinkJobDetails> GetJobAsync(string jobId, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}";
        var j = await GetJsonAsync(path, FlinkRestJsonContext.Default.JobDto, ct).ConfigureAwait(false);
        return new FlinkJobDetails(
            Required(j.Id, "jid", path), Required(j.Name, "name", path), Required(j.State, "state", path),
            j.StartTime ?? -1, j.EndTime ?? -1, j.Duration ?? 0);
    }

    /// <summary>GET /jobs/{jid}, its "vertices": the tasks of the job's graph, which do not change while it runs.</summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a Flink job id (32 hex characters).</exception>
    public async Task<IReadOnlyList<FlinkJobVertex>> GetJobVerticesAsync(string jobId, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}";
        var dto = await GetJsonAsync(path, FlinkRestJsonContext.Default.JobVerticesDto, ct).ConfigureAwait(false);
        return Required(dto.Vertices, "vertices", path).Select((v, i) => new FlinkJobVertex(
                Required(v.Id, $"vertices[{i}].id", path), Required(v.Name, $"vertices[{i}].name", path), v.Parallelism ?? 1))
            .ToList();
    }

    /// <summary>
    /// GET /jobs/{jid}/vertices/{vid}/subtasks/metrics?get=...: the metrics named, each aggregated over the vertex's
    /// subtasks. A metric Flink does not have (yet) is simply not in the list.
    /// </summary>
    /// <exception cref="ArgumentException">An id is not 32 hex characters, or no metric is named.</exception>
    public async Task<IReadOnlyList<FlinkAggregatedMetric>> GetVertexMetricsAsync(
        string jobId, string vertexId, IReadOnlyCollection<string> metrics, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}/vertices/{ValidId(vertexId, "vertex")}/subtasks/metrics?get={MetricList(metrics)}";
        var list = await GetJsonAsync(path, FlinkRestJsonContext.Default.ListAggregatedMetricDto, ct).ConfigureAwait(false);
        return list.Select((m, i) => new FlinkAggregatedMetric(Required(m.Id, $"[{i}].id", path), m.Min, m.Max, m.Avg, m.Sum)).ToList();
    }

    /// <summary>GET /jobs/{jid}/metrics?get=...: the job's own metrics named (e.g. numRestarts); a metric Flink does not have is not in the list.</summary>
    /// <exception cref="ArgumentException">The id is not 32 hex characters, or no metric is named.</exception>
    public async Task<IReadOnlyList<FlinkMetric>> GetJobMetricsAsync(string jobId, IReadOnlyCollection<string> metrics, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}/metrics?get={MetricList(metrics)}";
        var list = await GetJsonAsync(path, FlinkRestJsonContext.Default.ListMetricDto, ct).ConfigureAwait(false);
        return list.Select((m, i) => new FlinkMetric(Required(m.Id, $"[{i}].id", path), m.Value)).ToList();
    }

    /// <summary>
    /// GET /jobs/{jid}/checkpoints: how many checkpoints completed and failed, and the latest completed one. Flink answers
    /// 404 ("Checkpointing has not been enabled.") for a job that does not checkpoint.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a Flink job id (32 hex characters).</exception>
    public async Task<FlinkCheckpointStatistics> GetCheckpointStatisticsAsync(string jobId, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}/checkpoints";
        var dto = await GetJsonAsync(path, FlinkRestJsonContext.Default.CheckpointingStatisticsDto, ct).ConfigureAwait(false);
        var counts = Required(dto.Counts, "counts", path);
        var latest = dto.Latest?.Completed is { } c
            ? new FlinkCompletedCheckpoint(Required(c.Id, "latest.completed.id", path), c.EndToEndDuration, c.StateSize, c.CheckpointedSize)
            : null;
        return new FlinkCheckpointStatistics(
            Required(counts.Completed, "counts.completed", path), Required(counts.Failed, "counts.failed", path), latest);
    }

    /// <summary>GET /jobs/{jid}/exceptions, from exceptionHistory or, for older Flink versions, all-exceptions.</summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a Flink job id (32 hex characters).</exception>
    public async Task<FlinkJobExceptions> GetJobExceptionsAsync(string jobId, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}/exceptions";
        var dto = await GetJsonAsync(path, FlinkRestJsonContext.Default.JobExceptionsDto, ct).ConfigureAwait(false);
        if (dto.ExceptionHistory is { } history)
        {
            var entries = (history.Entries ?? []).Select((e, i) => new FlinkExceptionEntry(
                    Required(e.ExceptionName, $"exceptionHistory.entries[{i}].exceptionName", path),
                    e.Stacktrace ?? "", e.Timestamp ?? 0, e.TaskName))
                .ToList();
            return new FlinkJobExceptions(entries, history.Truncated ?? dto.Truncated ?? false, dto.RootException);
        }

        var legacy = (dto.AllExceptions ?? [])
            .Where(e => !string.IsNullOrEmpty(e.Exception))
            .Select(e => new FlinkExceptionEntry(ExceptionClass(e.Exception!), e.Exception!, e.Timestamp ?? 0, e.Task))
            .ToList();
        if (legacy.Count == 0 && !string.IsNullOrEmpty(dto.RootException))
        {
            legacy.Add(new FlinkExceptionEntry(ExceptionClass(dto.RootException), dto.RootException, dto.Timestamp ?? 0, null));
        }

        return new FlinkJobExceptions(legacy, dto.Truncated ?? false, dto.RootException);
    }

    /// <summary>PATCH /jobs/{jid}?mode=cancel; Flink answers 202 and cancels asynchronously.</summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a Flink job id (32 hex characters).</exception>
    /// <exception cref="FlinkRestException">Flink refused, e.g. 404 for an unknown job or 409 for a job that already ended otherwise.</exception>
    public async Task CancelJobAsync(string jobId, CancellationToken ct = default)
    {
        var path = $"/jobs/{ValidId(jobId, "job")}?mode=cancel";
        using var request = new HttpRequestMessage(HttpMethod.Patch, Relative(path));
        using var response = await SendAsync(request, path, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "PATCH", path, ct).ConfigureAwait(false);
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative(path));
        using var response = await SendAsync(request, path, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "GET", path, ct).ConfigureAwait(false);
        var body = await ReadBodyAsync(response, path, ct).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new FlinkRestException(FlinkRestFailureKind.MalformedResponse, path,
                    $"Flink REST GET {path} returned JSON null instead of an object.");
        }
        catch (JsonException ex)
        {
            throw new FlinkRestException(FlinkRestFailureKind.MalformedResponse, path,
                $"Flink REST GET {path} returned malformed JSON{(ex.Path is null ? "" : $" at {ex.Path}")}: {ex.Message}",
                response.StatusCode, innerException: ex);
        }
    }

    // Relative to BaseAddress so a REST base behind a path prefix (http://proxy/flink/) keeps its prefix.
    private static Uri Relative(string path) => new(path.TrimStart('/'), UriKind.Relative);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string path, CancellationToken ct)
    {
        if (_http.BaseAddress is null)
        {
            throw new InvalidOperationException("The Flink REST HttpClient needs a BaseAddress such as http://localhost:8081/.");
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Transport(ex, request.Method.Method, path) is { } wrapped)
        {
            throw wrapped;
        }
    }

    private async Task<string> ReadBodyAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Transport(ex, "GET", path) is { } wrapped)
        {
            throw wrapped;
        }
    }

    private FlinkRestException? Transport(Exception ex, string method, string path) => ex switch
    {
        OperationCanceledException => new FlinkRestException(FlinkRestFailureKind.Timeout, path,
            $"Flink REST {method} {path} timed out after {FormatTimeout(_http.Timeout)} at {_http.BaseAddress}.", innerException: ex),
        TimeoutRejectedException timeout => new FlinkRestException(FlinkRestFailureKind.Timeout, path,
            $"Flink REST {method} {path} timed out after {FormatTimeout(timeout.Timeout)} at {_http.BaseAddress}.", innerException: ex),
        BrokenCircuitException => new FlinkRestException(FlinkRestFailureKind.Unreachable, path,
            $"Flink REST {method} {path} not sent: nearly every recent call to {_http.BaseAddress} failed, so calls pause for a moment"
            + $"{(ex.InnerException is { } cause ? $" (last: {cause.Message})" : "")}.", innerException: ex),
        HttpRequestException or IOException => new FlinkRestException(FlinkRestFailureKind.Unreachable, path,
            $"Flink REST {method} {path} failed: cannot reach {_http.BaseAddress} ({ex.Message}).", innerException: ex),
        _ => null,
    };

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string method, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = "";
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status alone still says what went wrong.
        }

        var errors = ParseErrors(body);
        var detail = errors.Count > 0 ? FirstLine(errors[0])
            : body.Length > 0 ? Excerpt(body)
            : "empty body";
        var status = (int)response.StatusCode;
        throw new FlinkRestException(FlinkRestFailureKind.HttpStatus, path,
            $"Flink REST {method} {path} answered {status.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}: {detail}",
            response.StatusCode, errors);
    }

    private static IReadOnlyList<string> ParseErrors(string body)
    {
        if (body.Length == 0 || body.TrimStart() is not ['{', ..])
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(body, FlinkRestJsonContext.Default.ErrorsDto)?.Errors?.Where(e => e is not null).ToList()
                ?? (IReadOnlyList<string>)[];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static T Required<T>(T? value, string field, string path)
        where T : class =>
        value ?? throw Missing(field, path);

    private static T Required<T>(T? value, string field, string path)
        where T : struct =>
        value ?? throw Missing(field, path);

    private static FlinkRestException Missing(string field, string path) =>
        new(FlinkRestFailureKind.MalformedResponse, path, $"Flink REST GET {path} returned JSON without the required field \"{field}\".");

    private static string ValidId(string id, string what, [CallerArgumentExpression(nameof(id))] string? parameter = null)
    {
        if (id is null || id.Length != 32 || !id.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"Flink {what} id '{id}' is not 32 hexadecimal characters.", parameter);
        }

        return id;
    }

    private static string MetricList(IReadOnlyCollection<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0 || metrics.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one metric, none of them empty.", nameof(metrics));
        }

        return string.Join(',', metrics.Select(Uri.EscapeDataString));
    }

    private static string ExceptionClass(string stacktrace)
    {
        var first = FirstLine(stacktrace);
        var colon = first.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? first[..colon] : first;
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end >= 0 ? line[..end] : line).ToString();
    }

    private static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= MaxErrorExcerpt ? flat : flat[..MaxErrorExcerpt] + "…";
    }

    private static string FormatTimeout(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? "an infinite timeout"
        : timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0 ? $"{timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
        : $"{timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
