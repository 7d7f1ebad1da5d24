using System.Net;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Service;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Hosting;

namespace FlinkBeam.Submitter.Tests;

/// <summary>Service mode built in the test process: where it listens, and how a start that cannot work ends.</summary>
public sealed class ServiceHostTests : LoopbackClusterTests
{
    [Fact]
    public async Task Without_a_configured_address_the_API_listens_on_loopback_only()
    {
        Assert.SkipWhen(
            new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS" }.Any(v => Environment.GetEnvironmentVariable(v) is not null),
            "the test runner's environment configures an address");

        await using var app = ServiceHost.Build(LoopbackCluster.AsCommandLine(Cluster.ServiceEnvironment()));

        var configured = app.Configuration[WebHostDefaults.ServerUrlsKey];
        Assert.Equal(ServiceHost.DefaultUrl, configured);
        var uri = new Uri(configured!);
        Assert.True(IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address), $"{configured} is not a loopback address");
    }

    [Theory]
    [InlineData("--urls=http://0.0.0.0:6123", "http://0.0.0.0:6123")]
    [InlineData("--http_ports=6123", null)]
    [InlineData("--Kestrel:Endpoints:api:Url=http://127.0.0.1:6123", null)]
    public async Task A_configured_address_replaces_the_default(string setting, string? urls)
    {
        await using var app = ServiceHost.Build([.. LoopbackCluster.AsCommandLine(Cluster.ServiceEnvironment()), setting]);

        Assert.Equal(urls, app.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Theory]
    [InlineData("catalog", "The Submitter cannot start: Pipeline catalog '")]
    [InlineData("flink", $"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0")]
    [InlineData("services", $"environment variable services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0) is not an endpoint address")]
    [InlineData("history", "is not a SQLite database")]
    public async Task A_start_that_cannot_work_ends_with_exit_code_2_and_says_why(string broken, string message)
    {
        var environment = Cluster.ServiceEnvironment();
        var flink = $"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0";
        switch (broken)
        {
            case "catalog":
                File.WriteAllText(Cluster.Catalog, """{ "pipelines": [ { "name": "ok", "script": "../succeed.py" } ] }""");
                message += $"{Cluster.Catalog}': pipeline 'ok': script '../succeed.py' leaves the catalog's folder";
                break;
            case "flink":
                environment.Remove(flink);
                break;
            case "services":
                environment[flink] = "not an address";
                break;
            case "history":
                Directory.CreateDirectory(Cluster.DataDirectory);
                File.WriteAllText(Path.Combine(Cluster.DataDirectory, HistoryFile.FileName), "not a database\n");
                break;
        }

        using var stderr = new StringWriter();
        var exitCode = await ServiceHost.RunAsync([.. LoopbackCluster.AsCommandLine(environment), "--urls=http://127.0.0.1:0"], stderr);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("The Submitter cannot start: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_already_in_use_ends_the_start_with_exit_code_2_naming_it()
    {
        using var occupant = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)occupant.LocalEndpoint).Port}";

        await AssertCannotListenAsync(url, "(Address already in use)");
    }

    [Fact]
    public async Task A_start_that_fails_after_re_attaching_runs_leaves_their_jobs_running()
    {
        var job = Cluster.Flink.AddJob("forever-12345678", FlinkJobStates.Running);
        var now = DateTimeOffset.UtcNow;
        using (var store = TestHistory.Open(Cluster.DataDirectory))
        {
            store.Save(new RunRecord
            {
                Id = "1234567890abcdef", Pipeline = "forever", JobName = "forever-12345678", State = RunState.Running,
                CreatedAt = now, UpdatedAt = now, FlinkJobId = job.Id, FlinkState = FlinkJobStates.Running, Attempts = 1,
            });
        }

        using var occupant = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        using var stderr = new StringWriter();
        var exitCode = await ServiceHost.RunAsync(
            [.. LoopbackCluster.AsCommandLine(Cluster.ServiceEnvironment()), $"--urls=http://127.0.0.1:{((IPEndPoint)occupant.LocalEndpoint).Port}"], stderr);

        Assert.True(exitCode == 2, stderr.ToString());
        Assert.Equal(FlinkJobStates.Running, Cluster.Flink.FindJob(job.Id)!.State);
        Assert.Empty(Cluster.Flink.CancelledJobIds);
        using var history = TestHistory.Open(Cluster.DataDirectory);
        Assert.Equal(RunState.Running, history.Get("1234567890abcdef")!.State);
    }

    [Fact]
    public async Task An_address_of_no_local_interface_ends_the_start_with_exit_code_2_naming_it()
    {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): no interface of the test machine has it. Not loopback, so
        // only with a key does the Submitter try to listen there at all.
        await AssertCannotListenAsync("http://192.0.2.1:6123", "(Cannot assign requested address)", "--Submitter:ApiKey=a-key-of-sixteen-or-more");
    }

    private async Task AssertCannotListenAsync(string url, string reason, params string[] settings)
    {
        using var stderr = new StringWriter();
        var exitCode = await ServiceHost.RunAsync([.. LoopbackCluster.AsCommandLine(Cluster.ServiceEnvironment()), .. settings, $"--urls={url}"], stderr);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"The Submitter cannot start: it cannot listen on {url} {reason}. Give another address with --urls or ASPNETCORE_URLS.",
            stderr.ToString().TrimEnd());
    }
}
