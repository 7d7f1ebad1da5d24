using System.Net;
using FlinkBeam.Testing;

namespace FlinkBeam.Submitter.Tests;

/// <summary>
/// Where the real <c>Submitter serve</c> may listen: beyond loopback only with an API key or an explicit choice of
/// anonymous access; a refusal is exit code 2, one line, and nothing written.
/// </summary>
public sealed class ServiceBindingTests : LoopbackClusterTests
{
    [Theory]
    [InlineData("--urls=http://0.0.0.0:0", null, null, "http://0.0.0.0:0 (--urls / ASPNETCORE_URLS)")]
    [InlineData("--urls=http://[::]:0", null, null, "http://[::]:0 (--urls / ASPNETCORE_URLS)")]
    [InlineData(null, "ASPNETCORE_HTTP_PORTS", "0", "http://*:0 (ASPNETCORE_HTTP_PORTS)")]
    [InlineData(null, "ASPNETCORE_URLS", "http://127.0.0.1:0;http://+:0", "http://+:0 (--urls / ASPNETCORE_URLS)")]
    [InlineData(null, "Kestrel__Endpoints__api__Url", "http://submitter.example.test:0", "http://submitter.example.test:0 (Kestrel:Endpoints:api:Url)")]
    public async Task Serve_beyond_loopback_without_a_key_exits_2_with_one_line_and_writes_nothing(
        string? argument, string? variable, string? value, string named)
    {
        Assert.SkipWhen(
            new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTPS_PORTS" }
                .Any(v => Environment.GetEnvironmentVariable(v) is not null),
            "the test runner's environment configures an address, which the Submitter started here would inherit");
        var environment = Cluster.ServiceEnvironment();
        if (variable is not null)
        {
            environment[variable] = value!;
        }

        await using var process = SubmitterProcess.Start(argument is null ? ["serve"] : ["serve", argument], environment: environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{process.Stdout}\n{process.Stderr}");
        Assert.Equal(
            $"The Submitter cannot start: it would listen on {named}, which is not a loopback address, without an API key. Set Submitter:ApiKey (Submitter__ApiKey) "
            + "so that callers must present it, or Submitter:AllowAnonymous=true to let anyone who can reach it start and cancel runs.",
            Assert.Single(process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        Assert.False(Directory.Exists(Cluster.DataDirectory), "the data directory was created");
        Assert.Equal(0, Cluster.Flink.RequestCount("/overview"));
    }

    [Fact]
    public async Task Anonymous_access_beyond_loopback_is_an_explicit_choice_that_is_logged()
    {
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__AllowAnonymous"] = "true";

        await using var service = await ServiceSubmitterProcess.StartAsync(environment, TestContext.Current.CancellationToken, urls: "http://0.0.0.0:0");

        Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/pipelines")).Status);
        await service.Process.WaitForOutputAsync(
            l => l.Contains("The API listens on http://0.0.0.0:0 without an API key (Submitter:AllowAnonymous=true)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("short-key")]
    [InlineData(" key-with-a-blank-in-front")]
    public async Task An_unusable_key_exits_2_without_showing_it(string key)
    {
        var environment = Cluster.ServiceEnvironment();
        environment["Submitter__ApiKey"] = key;

        await using var process = SubmitterProcess.Start(["serve", "--urls=http://127.0.0.1:0"], environment: environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{process.Stdout}\n{process.Stderr}");
        Assert.Equal(
            $"The Submitter cannot start: API key (Submitter:ApiKey) must be at least 16 characters, with no control characters and no blank at either end; the one set has {key.Length} characters.",
            Assert.Single(process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        Assert.DoesNotContain(key.Trim(), process.Stdout + process.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Cluster.DataDirectory), "the data directory was created");
    }
}
