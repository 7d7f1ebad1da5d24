using System.IO.Pipelines;
using FlinkBeam.Submitter.Events;
using FlinkBeam.Submitter.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// <c>GET /runs/events</c>: the stream of run changes (<see cref="RunEvents"/>) as Server-Sent Events. It starts with
/// <c>retry:</c>, then the state of every catalog pipeline, or, given the last id a client saw (<c>Last-Event-ID</c> or
/// <c>?after=</c>) of this stream, the events after it; then <c>synced</c>, then each change as it is stored. A quiet
/// stream sends <c>: ping</c>. It ends when the client goes, when the Submitter stops (at once, so that no open stream
/// holds the shutdown up), or when the client fell so far behind that it must resume from its cursor.
/// </summary>
public static class RunEventsEndpoint
{
    public const string Path = "/runs/events";

    private const string AfterParameter = "after";
    private const string LastEventIdHeader = "Last-Event-ID";

    // Events written before one flush: a burst leaves in few writes, and nothing waits for more to come.
    private const int MaxBatch = 256;

    public static IEndpointRouteBuilder MapRunEvents(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, StreamAsync);
        return endpoints;
    }

    private static async Task<IResult> StreamAsync(
        HttpContext context, RunEvents events, EventStreamTimings timings, IHostApplicationLifetime lifetime)
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => !string.Equals(k, AfterParameter, StringComparison.OrdinalIgnoreCase)) is { } unknown)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad event stream request",
                detail: $"'{unknown}' is not a query parameter of {Path}; use {AfterParameter} (or the Last-Event-ID header) to resume.");
        }

        var header = context.Request.Headers[LastEventIdHeader].LastOrDefault();
        var cursor = string.IsNullOrEmpty(header) ? query[AfterParameter].LastOrDefault() : header;
        RunEventSubscription subscription;
        try
        {
            subscription = events.Subscribe(cursor);
        }
        catch (RunStoreException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The run history cannot be read", detail: e.Message);
        }

        using (subscription)
        {
            using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            await WriteAsync(context, subscription, timings, end.Token).ConfigureAwait(false);
        }

        return Results.Empty;
    }

    private static async Task WriteAsync(HttpContext context, RunEventSubscription subscription, EventStreamTimings timings, CancellationToken end)
    {
        var response = context.Response;
        response.ContentType = ServerSentEvents.ContentType;
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = response.BodyWriter;
        try
        {
            ServerSentEvents.Write(output, ServerSentEvents.Retry(timings.Retry));
            foreach (var e in subscription.Initial)
            {
                ServerSentEvents.Write(output, ServerSentEvents.Event(e));
            }

            if (!await FlushAsync(output, end).ConfigureAwait(false))
            {
                return;
            }

            var live = subscription.Live;
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(end);
                quiet.CancelAfter(timings.Ping);
                bool more;
                try
                {
                    more = await live.WaitToReadAsync(quiet.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!end.IsCancellationRequested)
                {
                    ServerSentEvents.Write(output, ServerSentEvents.Ping);
                    if (!await FlushAsync(output, end).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (!more)
                {
                    return;
                }

                for (var written = 0; written < MaxBatch && live.TryRead(out var e); written++)
                {
                    ServerSentEvents.Write(output, ServerSentEvents.Event(e));
                }

                if (!await FlushAsync(output, end).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client went away, or the Submitter stops: the response simply ends.
        }
    }

    // False when the client is gone.
    private static async Task<bool> FlushAsync(PipeWriter output, CancellationToken end) =>
        !(await output.FlushAsync(end).ConfigureAwait(false)).IsCompleted;
}
