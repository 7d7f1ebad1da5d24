using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Hosting;

/// <summary>
/// The dashboard rows of one Submitter's pipelines, kept up to date from its run events (contract: <c>GET /runs/events</c>):
/// <c>pipeline</c> and <c>metrics</c> change a row's <see cref="PipelineView"/>, which <see cref="PipelineSnapshots"/>
/// turns into the published snapshot; <c>output</c> lines and run state changes go to the row's console log;
/// <c>synced</c> settles the rows the Submitter had nothing to say about. Events of other names are ignored.
/// </summary>
internal sealed class PipelineRows
{
    private readonly SubmitterResource _submitter;
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceLoggerService _logs;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Row> _rows;
    private Uri? _flinkRest;

    public PipelineRows(
        SubmitterResource submitter, IEnumerable<PipelineResource> pipelines, ResourceNotificationService notifications, ResourceLoggerService logs, ILogger logger)
    {
        _submitter = submitter;
        _notifications = notifications;
        _logs = logs;
        _logger = logger;
        _rows = pipelines.ToDictionary(p => p.Pipeline, p => new Row(p, PipelineView.Unknown(p.Pipeline)), StringComparer.Ordinal);
    }

    /// <summary>Flink REST as the host reaches it, for the job links; null until known (set beside the stream).</summary>
    public Uri? FlinkRest
    {
        get => Volatile.Read(ref _flinkRest);
        set => Volatile.Write(ref _flinkRest, value);
    }

    /// <summary>Applies one event of the stream.</summary>
    /// <param name="eventType">The event's name.</param>
    /// <param name="data">Its data: one JSON object.</param>
    public Task ApplyAsync(string eventType, string data) => eventType switch
    {
        "pipeline" when Read<PipelineEvent>(eventType, data) is { } state && _rows.TryGetValue(state.Pipeline, out var row) =>
            UpdateAsync(row, row.View.With(state)),
        "metrics" when Read<MetricsEvent>(eventType, data) is { } metrics && _rows.TryGetValue(metrics.Pipeline, out var row) =>
            UpdateAsync(row, row.View.With(metrics)),
        "output" when Read<OutputEvent>(eventType, data) is { } output && _rows.TryGetValue(output.Pipeline, out var row) =>
            Log(row, $"[{output.RunId}] {output.Line}"),
        "synced" => Task.WhenAll(_rows.Values.Where(r => !r.View.Known).ToList().Select(r => UpdateAsync(r, r.View.Synced()))),
        _ => Task.CompletedTask,
    };

    /// <summary>Publishes every row again as it is known, e.g. once the job links' address is known.</summary>
    public Task RefreshAsync() => Task.WhenAll(_rows.Values.Select(PublishAsync));

    private async Task UpdateAsync(Row row, PipelineView next)
    {
        var transition = PipelineView.Transition(row.View, next);
        row.View = next;
        if (transition is not null)
        {
            await Log(row, transition).ConfigureAwait(false);
        }

        await PublishAsync(row).ConfigureAwait(false);
    }

    // The snapshot is made from the row as it is when the notification service applies it (one update at a time per
    // resource), so a refresh from beside the stream never publishes an older view over a newer one.
    private Task PublishAsync(Row row) =>
        _notifications.PublishUpdateAsync(row.Resource, snapshot => PipelineSnapshots.Apply(snapshot, row.View, FlinkRest, _submitter.FlinkVersion));

    private Task Log(Row row, string line)
    {
        _logs.GetLogger(row.Resource).LogInformation("{Line}", line);
        return Task.CompletedTask;
    }

    private T? Read<T>(string eventType, string data)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(data, RunEventJson.Options);
        }
        catch (JsonException e)
        {
            _logger.LogWarning("The Submitter '{Submitter}' sent a {Event} event the dashboard cannot read ({Reason}); it is skipped.", _submitter.Name, eventType, e.Message);
            return null;
        }
    }

    private sealed class Row(PipelineResource resource, PipelineView view)
    {
        public PipelineResource Resource { get; } = resource;

        private PipelineView _view = view;

        public PipelineView View
        {
            get => Volatile.Read(ref _view);
            set => Volatile.Write(ref _view, value);
        }
    }
}
