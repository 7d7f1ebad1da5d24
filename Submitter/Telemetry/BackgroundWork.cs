using OpenTelemetry;

namespace FlinkBeam.Submitter.Telemetry;

/// <summary>
/// Starts work that outlives whoever started it (a run's supervision, a polling loop) without inheriting the starter's
/// trace or log scopes. Polling loops are not traced at all: their Flink REST and Job API calls, many a second, are the
/// Submitter's plumbing, not part of any run's story.
/// </summary>
internal static class BackgroundWork
{
    /// <summary>Runs <paramref name="work"/> on the thread pool in a fresh context; its HTTP and gRPC calls are traced.</summary>
    public static Task Start(Func<Task> work) => Detached(work);

    /// <summary>Runs a polling loop on the thread pool in a fresh context; none of its calls is traced.</summary>
    public static Task StartUntraced(Func<Task> work) => Detached(async () =>
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        await work().ConfigureAwait(false);
    });

    private static Task Detached(Func<Task> work)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return Task.Run(work);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(work);
        }
    }
}
