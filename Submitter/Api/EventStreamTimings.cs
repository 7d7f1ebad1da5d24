namespace FlinkBeam.Submitter.Api;

/// <summary>The pace of <c>GET /runs/events</c>: how long a quiet stream waits before a <c>: ping</c>, and the reconnection delay it asks of clients.</summary>
public sealed record EventStreamTimings
{
    /// <summary>A stream with nothing to send writes a comment this often, so proxies and clients see it alive.</summary>
    public TimeSpan Ping { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Sent as <c>retry:</c> when the stream starts: how long a client waits before it reconnects.</summary>
    public TimeSpan Retry { get; init; } = TimeSpan.FromSeconds(1);
}
