using System.Text;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlinkBeam.Hosting.Tests;

/// <summary>The Submitter's health as the dashboard shows it, against a real HTTP server playing the Submitter's <c>/health</c>.</summary>
public sealed class SubmitterReadinessHealthCheckTests
{
    private const string Waiting = """
        {"status":"Unhealthy","durationMs":3.1,"checks":{
          "self":{"status":"Healthy"},
          "cluster-ready":{"status":"Unhealthy","description":"flink: expected 2 TaskManager(s), saw connection refused\njobserver: expected GetJobs answered, saw timeout"}}}
        """;

    private static async Task<HealthCheckResult> CheckAsync(Uri submitter)
    {
        var check = new SubmitterReadinessHealthCheck(_ => Task.FromResult(submitter));
        var registration = new HealthCheckRegistration("submitter_check", check, failureStatus: null, tags: null);
        return await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, TestContext.Current.CancellationToken);
    }

    private static Task<LoopbackHttpServer> Serve(int status, string body) =>
        LoopbackHttpServer.StartAsync(HttpProtocols.Http1, async context =>
        {
            context.Response.StatusCode = context.Request.Path == "/health" ? status : 404;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted);
        }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Unready_names_each_condition_the_gate_waits_for()
    {
        await using var server = await Serve(StatusCodes.Status503ServiceUnavailable, Waiting);

        var result = await CheckAsync(server.Url);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(
            "Waiting for the cluster: flink: expected 2 TaskManager(s), saw connection refused\njobserver: expected GetJobs answered, saw timeout",
            result.Description);
    }

    [Fact]
    public async Task Ready_is_healthy()
    {
        await using var server = await Serve(StatusCodes.Status200OK, """{"status":"Healthy","checks":{}}""");

        var result = await CheckAsync(server.Url);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task An_answer_that_is_not_the_health_JSON_is_reported_by_its_status()
    {
        await using var server = await Serve(StatusCodes.Status500InternalServerError, "<html>oops</html>");

        var result = await CheckAsync(server.Url);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("GET /health answered 500 Internal Server Error.", result.Description);
    }

    [Fact]
    public async Task A_Submitter_that_does_not_listen_is_unhealthy_saying_so()
    {
        var result = await CheckAsync(new Uri($"http://127.0.0.1:{FakePipelineFiles.ClosedPort()}"));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("The Submitter does not answer GET /health: ", result.Description, StringComparison.Ordinal);
    }
}
