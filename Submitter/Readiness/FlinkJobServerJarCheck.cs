using System.Net;
using FlinkBeam.Cluster.Checks;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// "flink-job-server-jar", Flink mode's condition on the client's machine: the jar Beam's FlinkRunner puts each pipeline into
/// is there to take (<see cref="FlinkJobServerJar"/>): the configured one exists, or Beam's cache has it, or Maven Central
/// serves it for the first run to download. The uber-jar path needs no Java, so no Java is asked for. An answer that holds is
/// kept: the jar does not go away while the Submitter runs, and Maven Central is asked once, not every poll.
/// </summary>
internal sealed class FlinkJobServerJarCheck(
    VersionSet versions, string? configuredJar, string home, Uri repository, HttpClient http, TimeSpan timeout) : IReadinessCheck
{
    public const string ConditionName = "flink-job-server-jar";

    private ReadinessCondition? _held;

    public async Task<CheckAnswer> CheckAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _held) is { } held)
        {
            return held;
        }

        var answer = await AskAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Ok)
        {
            Volatile.Write(ref _held, answer);
        }

        return answer;
    }

    public CheckAnswer Unanswered(string observed) => new ReadinessCondition(ConditionName, false, Expected, observed);

    private string Expected => configuredJar is { Length: > 0 } jar
        ? $"the Beam Flink job server jar at {jar} (Submitter:FlinkJobServerJar)"
        : $"{FlinkJobServerJar.FileName(versions)} in Beam's cache or on Maven Central";

    private async Task<ReadinessCondition> AskAsync(CancellationToken cancellationToken)
    {
        if (configuredJar is { Length: > 0 } jar)
        {
            return File.Exists(jar)
                ? Condition(true, $"{jar} is there")
                : Condition(false, $"{jar} does not exist; give the path of a beam-runners-flink job server jar, or leave Submitter:FlinkJobServerJar unset to use Beam's cache or Maven Central");
        }

        var cached = FlinkJobServerJar.CachePath(home, versions);
        if (File.Exists(cached))
        {
            return Condition(true, $"cached at {cached}");
        }

        var url = FlinkJobServerJar.DownloadUrl(repository, versions);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK
                ? Condition(true, $"not cached yet; {url} serves it, and the first run downloads it to {cached}")
                : Condition(false, $"not cached at {cached}, and {url} answered {(int)response.StatusCode} {response.ReasonPhrase}; {Remedy(cached)}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Condition(false, $"not cached at {cached}, and {url} gave no answer ({CheckFailure.Describe(e, timeoutSource.IsCancellationRequested, timeout)}); {Remedy(cached)}");
        }
    }

    private static string Remedy(string cached) => $"put the jar at {cached}, or set Submitter:FlinkJobServerJar to its path";

    private ReadinessCondition Condition(bool ok, string observed) => new(ConditionName, ok, Expected, observed);
}
