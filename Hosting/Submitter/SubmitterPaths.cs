namespace FlinkBeam.Hosting;

/// <summary>The paths of the Submitter's HTTP API that the dashboard calls.</summary>
internal static class SubmitterPaths
{
    /// <summary><c>GET</c>: the readiness gate's health JSON.</summary>
    public const string Health = "/health";

    /// <summary><c>POST</c> <c>{"pipeline":...,"args":[...]}</c>: starts a run (202 with the run).</summary>
    public const string Runs = "/runs";

    /// <summary><c>POST</c>, the body of <see cref="Runs"/>: 204 when a run would be accepted, else the Problem Details it would get.</summary>
    public const string ValidateRun = "/runs/validate";

    /// <summary><c>POST</c>, <c>?pipeline=</c> optional: cancels the active runs of this Submitter (of that pipeline).</summary>
    public const string CancelActive = "/runs/cancel-active";

    /// <summary><c>GET</c>: the run changes as server-sent events, resumed from <c>Last-Event-ID</c>.</summary>
    public const string Events = "/runs/events";
}
