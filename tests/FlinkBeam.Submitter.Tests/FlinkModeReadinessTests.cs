using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// The gate in Flink mode (Beam's FlinkRunner submitting an uber jar): no job server condition, but the job server jar the
/// client puts the pipeline into, found where Beam's client looks for it; a loopback server plays Maven Central.
/// </summary>
public sealed class FlinkModeReadinessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _home = Directory.CreateTempSubdirectory("flinkbeam-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static VersionSet Versions => VersionSet.Default;

    private FlinkJobServerJarCheck Check(Uri repository, string? configuredJar = null, HttpClient? http = null) =>
        new(Versions, configuredJar, _home, repository, http ?? new HttpClient(), Timeout);

    private static async Task<ReadinessCondition> Ask(FlinkJobServerJarCheck check) =>
        Assert.Single((await check.CheckAsync(TestContext.Current.CancellationToken)).Conditions);

    [Fact]
    public async Task A_jar_Maven_Central_serves_holds_before_the_first_download_and_is_asked_once()
    {
        var requests = new List<string>();
        await using var maven = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, context =>
        {
            lock (requests)
            {
                requests.Add($"{context.Request.Method} {context.Request.Path}");
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        var check = Check(maven.Url);

        var first = await Ask(check);
        var second = await Ask(check);

        Assert.True(first.Ok, first.Observed);
        Assert.Same(first, second);
        Assert.Equal(["HEAD /org/apache/beam/beam-runners-flink-1.20-job-server/2.77.0/beam-runners-flink-1.20-job-server-2.77.0.jar"], requests);
        Assert.Contains("the first run downloads it to " + FlinkJobServerJar.CachePath(_home, Versions), first.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jar_in_Beams_cache_holds_without_asking_the_network()
    {
        var cached = FlinkJobServerJar.CachePath(_home, Versions);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        await File.WriteAllBytesAsync(cached, [0x50, 0x4b, 0x05, 0x06], TestContext.Current.CancellationToken);
        var closed = new Uri($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}/");

        var condition = await Ask(Check(closed));

        Assert.True(condition.Ok, condition.Observed);
        Assert.Equal($"cached at {cached}", condition.Observed);
    }

    [Fact]
    public async Task No_cache_and_no_Maven_answer_says_where_to_put_the_jar()
    {
        await using var maven = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        var closed = new Uri($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}/");

        var missing = await Ask(Check(maven.Url));
        var silent = await Ask(Check(closed));

        Assert.False(missing.Ok);
        Assert.Contains("answered 404", missing.Observed, StringComparison.Ordinal);
        Assert.False(silent.Ok);
        Assert.Contains("gave no answer", silent.Observed, StringComparison.Ordinal);
        foreach (var condition in new[] { missing, silent })
        {
            Assert.Contains($"put the jar at {FlinkJobServerJar.CachePath(_home, Versions)}, or set Submitter:FlinkJobServerJar", condition.Observed, StringComparison.Ordinal);
            Assert.Equal("beam-runners-flink-1.20-job-server-2.77.0.jar in Beam's cache or on Maven Central", condition.Expected);
        }
    }

    [Fact]
    public async Task A_failed_answer_is_asked_again()
    {
        var status = StatusCodes.Status503ServiceUnavailable;
        await using var maven = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, context =>
        {
            context.Response.StatusCode = Volatile.Read(ref status);
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        var check = Check(maven.Url);

        Assert.False((await Ask(check)).Ok);
        Volatile.Write(ref status, StatusCodes.Status200OK);
        Assert.True((await Ask(check)).Ok);
    }

    [Fact]
    public async Task A_configured_jar_must_exist_and_is_all_that_is_asked()
    {
        var jar = Path.Combine(_home, "beam-runners-flink-1.20-job-server-2.77.0.jar");
        var closed = new Uri($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}/");

        var missing = await Ask(Check(closed, jar));
        await File.WriteAllBytesAsync(jar, [0x50, 0x4b, 0x05, 0x06], TestContext.Current.CancellationToken);
        var present = await Ask(Check(closed, jar));

        Assert.False(missing.Ok);
        Assert.Contains($"{jar} does not exist", missing.Observed, StringComparison.Ordinal);
        Assert.Equal($"the Beam Flink job server jar at {jar} (Submitter:FlinkJobServerJar)", missing.Expected);
        Assert.True(present.Ok, present.Observed);
    }

    [Fact]
    public void Flink_mode_asks_for_the_jar_and_not_for_a_job_server()
    {
        var options = new SubmitterOptions
        {
            Mode = RunnerMode.Flink,
            FlinkRestUrl = "http://127.0.0.1:1/",
            ConditionTimeout = TimeSpan.FromMilliseconds(200),
        };
        var flink = new FlinkRestClient(new HttpClient { BaseAddress = new Uri(options.FlinkRestUrl) });
        using var channels = new GrpcChannelCache(options.ConditionTimeout);
        var python = new PythonEnvironmentCheck(Options.Create(options), NullLogger<PythonEnvironmentCheck>.Instance);

        // No Job API client at all: Flink mode must not need one.
        var probes = ReadinessChecks.Create(options, python, flink, jobService: null, channels);
        var names = probes.SelectMany(p => p.Unanswered("not asked").Conditions.Select(c => c.Name)).ToList();

        Assert.Contains(FlinkJobServerJarCheck.ConditionName, names);
        Assert.DoesNotContain(JobServerCheck.ConditionName, names);
    }
}
