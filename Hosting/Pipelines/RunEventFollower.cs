using System.Net.ServerSentEvents;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Hosting;

/// <summary>
/// Follows the run events of every Submitter that has pipeline rows, from the moment it runs: <c>GET /runs/events</c>
/// with its API key; the first answer fills every row from the history, and what follows is live. A lost connection
/// (a restarted Submitter, say) is opened again with the last event's id, after the delay the stream asked for (1 s),
/// growing while the Submitter does not answer (<see cref="ReconnectDelay"/>).
/// </summary>
internal sealed class RunEventFollower(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ILogger<RunEventFollower> logger) : BackgroundService
{
    /// <summary>How long to wait before connecting again, when the stream named no delay of its own.</summary>
    public static readonly TimeSpan DefaultRetry = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts while the Submitter does not answer.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The wait before the next attempt: the stream's delay after a stream that ended or a first failure, doubled with
    /// every further failure in a row, never more than <see cref="MaxRetry"/> (nor less than the stream asked for).
    /// </summary>
    /// <param name="retry">The delay the stream asked for (<c>retry:</c>), or <see cref="DefaultRetry"/>.</param>
    /// <param name="failures">Attempts in a row that got no stream; 0 after a stream that ended.</param>
    public static TimeSpan ReconnectDelay(TimeSpan retry, int failures)
    {
        if (failures <= 1 || retry >= MaxRetry)
        {
            return retry;
        }

        var delay = retry * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < MaxRetry ? delay : MaxRetry;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(model.Resources.OfType<PipelineResource>()
            .GroupBy(p => p.Submitter)
            .Select(pipelines => FollowAsync(pipelines.Key, pipelines.ToList(), stoppingToken)));

    private async Task FollowAsync(SubmitterResource submitter, IReadOnlyList<PipelineResource> pipelines, CancellationToken cancellationToken)
    {
        var rows = new PipelineRows(submitter, pipelines, notifications, logs, logger);
        var stream = new StreamPosition();
        var linking = LinkJobsAsync(submitter, rows, cancellationToken);
        try
        {
            // Its address is allocated, and the rows' first snapshots published, by the time it runs.
            await notifications.WaitForResourceAsync(submitter.Name, KnownResourceStates.Running, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await FollowOnceAsync(submitter, rows, stream, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever goes wrong with one stream, the rows follow the next: the AppHost does not stop for it.
                    stream.Failures++;
                    logger.LogWarning(e, "Following the run events of '{Submitter}' failed; they are asked for again.", submitter.Name);
                }

                await Task.Delay(ReconnectDelay(stream.Retry, stream.Failures), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }

        await linking.ConfigureAwait(false);
    }

    /// <summary>Opens the stream from where the last one ended and applies its events until it ends.</summary>
    private async Task FollowOnceAsync(SubmitterResource submitter, PipelineRows rows, StreamPosition stream, CancellationToken cancellationToken)
    {
        var (response, problem) = await new SubmitterApiClient(submitter).OpenEventsAsync(stream.LastEventId, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            stream.Failures++;
            if (problem!.Detail != stream.LastProblem)
            {
                stream.LastProblem = problem.Detail;
                logger.Log(
                    problem.Status == 0 ? LogLevel.Debug : LogLevel.Warning,
                    "The pipelines of '{Submitter}' wait for its run events: {Problem}",
                    submitter.Name,
                    problem.Detail);
            }

            return;
        }

        stream.Failures = 0;
        stream.LastProblem = null;
        using (response)
        {
            var parser = SseParser.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            try
            {
                await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
                {
                    await rows.ApplyAsync(item.EventType, item.Data).ConfigureAwait(false);
                    stream.LastEventId = parser.LastEventId is { Length: > 0 } id ? id : stream.LastEventId;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug("The run events of '{Submitter}' stopped: {Reason}", submitter.Name, e.Message);
            }

            if (parser.ReconnectionInterval > TimeSpan.Zero && parser.ReconnectionInterval != Timeout.InfiniteTimeSpan)
            {
                stream.Retry = parser.ReconnectionInterval;
            }
        }
    }

    /// <summary>
    /// Resolves the Flink web UI the job links point to, beside the stream: a container's address is known only once it
    /// starts, which may be never without a container engine. Then shows the links on the rows.
    /// </summary>
    private async Task LinkJobsAsync(SubmitterResource submitter, PipelineRows rows, CancellationToken cancellationToken)
    {
        if (submitter.FlinkRestAddress is not { } address)
        {
            return;
        }

        try
        {
            rows.FlinkRest = await address(cancellationToken).ConfigureAwait(false);
            await rows.RefreshAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The pipelines of '{Submitter}' link no Flink jobs: Flink REST has no usable address ({Reason}).", submitter.Name, e.Message);
        }
    }

    /// <summary>Where a Submitter's stream is: the last event's id, the delay it asked for, the failures in a row, the last problem logged.</summary>
    private sealed class StreamPosition
    {
        public string? LastEventId { get; set; }

        public TimeSpan Retry { get; set; } = DefaultRetry;

        public int Failures { get; set; }

        public string? LastProblem { get; set; }
    }
}
