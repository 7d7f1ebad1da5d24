using System.Net;
using System.Text.Json;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    private static async Task<JsonDocument> ReadReportAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Health_and_alive_answer_healthy_on_a_real_server()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        var (app, address) = await TestApp.StartAsync(builder, web => web.MapDefaultEndpoints());
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        foreach (var path in new[] { "health", "alive" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var report = await ReadReportAsync(response);
            Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_failing_readiness_check_fails_health_but_not_alive()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("cluster", () => HealthCheckResult.Unhealthy("no task managers"));
        var (app, address) = await TestApp.StartAsync(builder, web => web.MapDefaultEndpoints());
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        using var health = await client.GetAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var report = await ReadReportAsync(health);
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
        var cluster = report.RootElement.GetProperty("checks").GetProperty("cluster");
        Assert.Equal("Unhealthy", cluster.GetProperty("status").GetString());
        Assert.Equal("no task managers", cluster.GetProperty("description").GetString());

        using var alive = await client.GetAsync("alive", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_failing_check_tagged_live_fails_alive()
    {
        var builder = TestApp.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("deadlock", () => HealthCheckResult.Unhealthy(), [Extensions.LiveTag]);
        var (app, address) = await TestApp.StartAsync(builder, web => web.MapDefaultEndpoints());
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        using var alive = await client.GetAsync(Extensions.AlivenessEndpointPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, alive.StatusCode);
    }
}
