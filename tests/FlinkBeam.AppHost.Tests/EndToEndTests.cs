using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Testing;

namespace FlinkBeam.AppHost.Tests;

/// <summary>
/// The whole product on Docker: containers, image build, pipelines venv, Submitter. Skipped, with the reason, where
/// no Docker engine answers. It also needs network access for image pulls and pip.
/// </summary>
public sealed partial class EndToEndTests
{
    private static readonly string[] TerminalStates = ["Succeeded", "Failed", "Cancelled", "TimedOut"];

    [Fact]
    public async Task WordCount_on_the_sample_succeeds_writes_the_expected_counts_and_its_Flink_job_is_FINISHED()
    {
        var missing = await EndToEndPrerequisites.MissingAsync(TestContext.Current.CancellationToken);
        if (missing is not null)
        {
            Assert.Skip(missing);
        }

        // First runs pull images, build the TaskManager image and pip-install apache-beam: be generous.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(40));
        var token = timeout.Token;

        // No AutoRun: this test starts the one run it checks.
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FlinkBeam_AppHost>(["FlinkBeam:AutoRun:0="], token);
        await using var app = await builder.BuildAsync(token);
        await app.StartAsync(token);

        // The Submitter's /health is healthy only once its readiness gate holds: the whole cluster is ready.
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Submitter, WaitBehavior.StopOnResourceUnavailable, token);

        var outputFolder = $"e2e-{Guid.NewGuid():N}";
        using var submitter = app.CreateHttpClient(ResourceNames.Submitter, EndpointNames.SubmitterHttp);
        using var started = await submitter.PostAsJsonAsync(
            "/runs",
            new { pipeline = "wordcount", args = new[] { "--input", "/data/sample.txt", "--output", $"/outputs/{outputFolder}/counts" } },
            token);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("id").GetString();

        var run = await WaitForTerminalStateAsync(submitter, runId!, token);
        Assert.True(run.GetProperty("state").GetString() == "Succeeded", $"The run did not succeed: {run}");

        try
        {
            var written = Directory.GetFiles(Path.Combine(RepositoryPaths.Outputs, outputFolder), "counts*");
            Assert.NotEmpty(written);
            var actual = written.SelectMany(File.ReadAllLines)
                .Where(line => line.Length > 0)
                .Select(line => line.Split(": ", 2))
                .ToDictionary(parts => parts[0], parts => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
            Assert.Equal(ExpectedCounts(File.ReadAllText(Path.Combine(RepositoryPaths.Data, "sample.txt"))), actual);
        }
        finally
        {
            TryDelete(Path.Combine(RepositoryPaths.Outputs, outputFolder));
        }

        var flinkJobId = run.GetProperty("flinkJobId").GetString();
        Assert.False(string.IsNullOrEmpty(flinkJobId), $"The run has no Flink job id: {run}");
        using var flinkHttp = new HttpClient { BaseAddress = app.GetEndpoint(ResourceNames.JobManager, EndpointNames.FlinkRest) };
        var job = await new FlinkRestClient(flinkHttp).GetJobAsync(flinkJobId!, token);
        Assert.Equal(FlinkJobStates.Finished, job.State);
    }

    private static async Task<JsonElement> WaitForTerminalStateAsync(HttpClient submitter, string runId, CancellationToken token)
    {
        while (true)
        {
            var run = await submitter.GetFromJsonAsync<JsonElement>($"/runs/{Uri.EscapeDataString(runId)}", token);
            if (run.GetProperty("state").GetString() is { } state && TerminalStates.Contains(state))
            {
                return run;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), token);
        }
    }

    /// <summary>WordCount's rule, independently: lower-cased, split on every non-letter.</summary>
    private static Dictionary<string, int> ExpectedCounts(string text) =>
        Letters().Matches(text.ToLowerInvariant())
            .GroupBy(m => m.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Letters();

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The SDK workers write as root inside the container; on Linux the files may not be ours to delete.
        }
    }
}
