using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Submitter.Supervision;

/// <summary>Which of Flink's jobs is a run's: the one named after the run's unique job name.</summary>
public static class FlinkJobs
{
    /// <summary>One lookup of a job by run job name: an exact match, else a name that contains it as a word (runners may decorate names); newest first.</summary>
    public static FlinkJobSummary? Find(IEnumerable<FlinkJobSummary> jobs, string jobName)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(jobName);
        FlinkJobSummary? best = null;
        var bestExact = false;
        foreach (var job in jobs)
        {
            var exact = job.Name == jobName;
            if (!exact && !ContainsAsWord(job.Name, jobName))
            {
                continue;
            }

            if (best is null || (exact && !bestExact) || (exact == bestExact && job.StartTime > best.StartTime))
            {
                best = job;
                bestExact = exact;
            }
        }

        return best;
    }

    private static bool ContainsAsWord(string name, string jobName)
    {
        var index = name.IndexOf(jobName, StringComparison.Ordinal);
        while (index >= 0)
        {
            var end = index + jobName.Length;
            var before = index == 0 || !char.IsAsciiLetterOrDigit(name[index - 1]);
            var after = end == name.Length || !(char.IsAsciiLetterOrDigit(name[end]) || name[end] == '-');
            if (before && after)
            {
                return true;
            }

            index = name.IndexOf(jobName, index + 1, StringComparison.Ordinal);
        }

        return false;
    }
}
