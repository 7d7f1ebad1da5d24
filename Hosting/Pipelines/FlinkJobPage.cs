using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>
/// A job's page in the Flink web dashboard, which Flink serves at the same address as its REST API and routes by the
/// URL's fragment. Sources, apache/flink <c>flink-runtime-web/web-dashboard/src/app</c>: since Flink 1.16
/// <c>routes.ts</c> maps <c>job</c> to <c>pages/job/routes.ts</c>, whose <c>running/:jid</c> and <c>completed/:jid</c> lead
/// to <c>modules/running-job/routes.ts</c> and <c>modules/completed-job/routes.ts</c> with an <c>overview</c> tab (and
/// <c>running-job.guard.ts</c> sends a running link of a job that has ended on to its completed page); before,
/// <c>pages/job/job-routing.module.ts</c> mapped <c>:jid/overview</c> directly.
/// </summary>
internal static class FlinkJobPage
{
    private static readonly MinorVersion RunningAndCompletedRoutes = new(1, 16);

    /// <summary>The page of job <paramref name="jobId"/> in the web UI of the Flink whose REST API is <paramref name="flinkRest"/>.</summary>
    /// <param name="flinkRest">Flink REST as the browser reaches it, e.g. <c>http://localhost:8081</c>; a path is kept (a Flink behind a proxy).</param>
    /// <param name="jobId">The Flink job id.</param>
    /// <param name="ended">Whether the job has ended (its run is in a terminal state).</param>
    /// <param name="flink">The Flink version, when known; unknown means a current one.</param>
    public static Uri For(Uri flinkRest, string jobId, bool ended, MinorVersion? flink)
    {
        var root = flinkRest.GetLeftPart(UriPartial.Path);
        var route = flink is { } version && version < RunningAndCompletedRoutes
            ? $"job/{Uri.EscapeDataString(jobId)}/overview"
            : $"job/{(ended ? "completed" : "running")}/{Uri.EscapeDataString(jobId)}/overview";
        return new Uri($"{(root.EndsWith('/') ? root : root + "/")}#/{route}");
    }
}
