using System.Net;
using System.Text;
using FlinkBeam.ServiceDefaults.Http;
using FlinkBeam.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Polly.CircuitBreaker;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class HttpResilienceHandlerTests
{
    /// <summary>Fast but otherwise default behaviour; the breaker stays out of the way unless a test wants it.</summary>
    private static HttpResilienceOptions FastOptions() => new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalRequestTimeout = TimeSpan.FromSeconds(20),
    };

    private static HttpClient CreateClient(HttpResilienceOptions options, Uri baseAddress) =>
        new(new HttpResilienceHandler(options) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = baseAddress };

    /// <summary>Answers <paramref name="failure"/> to the first <paramref name="failures"/> requests, then 200 with the request number.</summary>
    private static Task<LoopbackServer> FailingThenOk(int failures, HttpStatusCode failure = HttpStatusCode.ServiceUnavailable) =>
        LoopbackServer.StartAsync(async (context, request) =>
        {
            context.Response.StatusCode = request.Number <= failures ? (int)failure : StatusCodes.Status200OK;
            await context.Response.WriteAsync($"attempt {request.Number}", context.RequestAborted);
        });

    [Fact]
    public async Task A_503_on_GET_is_retried_until_it_succeeds()
    {
        await using var server = await FailingThenOk(failures: 2);
        using var client = CreateClient(FastOptions(), server.BaseAddress);

        using var response = await client.GetAsync("jobs/overview", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attempt 3", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, server.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal("/jobs/overview", r.PathAndQuery));
    }

    [Fact]
    public async Task When_retries_run_out_the_last_response_is_returned()
    {
        await using var server = await LoopbackServer.StartAsync(HttpStatusCode.BadGateway);
        var options = FastOptions();
        options.MaxRetryAttempts = 2;
        using var client = CreateClient(options, server.BaseAddress);

        using var response = await client.GetAsync("overview", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task A_POST_is_not_retried_by_default()
    {
        await using var server = await FailingThenOk(failures: 5);
        using var client = CreateClient(FastOptions(), server.BaseAddress);

        using var response = await client.PostAsync("runs", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_PATCH_is_not_retried_by_default()
    {
        await using var server = await FailingThenOk(failures: 5);
        using var client = CreateClient(FastOptions(), server.BaseAddress);

        using var response = await client.PatchAsync("jobs/abc?mode=cancel", content: null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_POST_opted_in_per_request_is_retried_and_its_streamed_body_is_sent_again_each_time()
    {
        await using var server = await FailingThenOk(failures: 2);
        using var client = CreateClient(FastOptions(), server.BaseAddress);
        const string body = "{\"job\":\"wordcount\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "runs")
        {
            // A plain stream can be read only once: every retry must send a copy.
            Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes(body))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Options.Set(HttpResilienceRequestOptions.AllowRetry, true);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal(3, server.RequestCount);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal(body, r.Body);
            Assert.Equal("application/json", r.Headers["Content-Type"]);
        });
    }

    [Fact]
    public async Task Non_idempotent_methods_are_retried_when_the_options_allow_it()
    {
        await using var server = await FailingThenOk(failures: 1);
        var options = FastOptions();
        options.RetryNonIdempotentMethods = true;
        using var client = CreateClient(options, server.BaseAddress);

        using var response = await client.PostAsync("runs", new StringContent("x"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_GET_opted_out_per_request_is_sent_once()
    {
        await using var server = await FailingThenOk(failures: 5);
        using var client = CreateClient(FastOptions(), server.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, "overview");
        request.Options.Set(HttpResilienceRequestOptions.AllowRetry, false);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task Client_errors_are_not_retried(HttpStatusCode status)
    {
        await using var server = await LoopbackServer.StartAsync(status);
        using var client = CreateClient(FastOptions(), server.BaseAddress);

        using var response = await client.GetAsync("jobs/unknown", TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Transient_statuses_are_retried(HttpStatusCode status)
    {
        await using var server = await FailingThenOk(failures: 1, status);
        using var client = CreateClient(FastOptions(), server.BaseAddress);

        using var response = await client.GetAsync("overview", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Number == 1)
            {
                context.Abort();
                return;
            }

            await context.Response.WriteAsync("ok", context.RequestAborted);
        });
        using var client = CreateClient(FastOptions(), server.BaseAddress);

        Assert.Equal("ok", await client.GetStringAsync("overview", TestContext.Current.CancellationToken));
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Number == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }

            await context.Response.WriteAsync($"attempt {request.Number}", context.RequestAborted);
        });
        var options = FastOptions();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        using var client = CreateClient(options, server.BaseAddress);

        Assert.Equal("attempt 2", await client.GetStringAsync("overview", TestContext.Current.CancellationToken));
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task The_total_timeout_surfaces_like_an_HttpClient_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        var options = FastOptions();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(100);
        options.TotalRequestTimeout = TimeSpan.FromMilliseconds(300);
        options.MaxRetryAttempts = 50;
        using var client = CreateClient(options, server.BaseAddress);

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync("overview", TestContext.Current.CancellationToken));

        var timeout = Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("GET", timeout.Message);
        Assert.Contains(server.BaseAddress.Authority, timeout.Message);
        Assert.Contains("timed out after 0.3 s", timeout.Message);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_retried()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        using var client = CreateClient(FastOptions(), server.BaseAddress);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = client.GetAsync("overview", cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<TimeoutException>(error.InnerException);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_only_for_that_destination()
    {
        await using var failing = await LoopbackServer.StartAsync(HttpStatusCode.ServiceUnavailable);
        await using var healthy = await LoopbackServer.StartAsync(HttpStatusCode.OK);
        var options = FastOptions();
        options.MaxRetryAttempts = 0;
        options.CircuitBreakerMinimumThroughput = 2;
        options.CircuitBreakerFailureRatio = 0.5;
        options.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30);
        using var client = new HttpClient(new HttpResilienceHandler(options) { InnerHandler = new SocketsHttpHandler() });

        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync(new Uri(failing.BaseAddress, "overview"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.GetAsync(new Uri(failing.BaseAddress, "overview"), TestContext.Current.CancellationToken));
        Assert.IsType<BrokenCircuitException>(error.InnerException);
        Assert.Contains("circuit", error.Message);
        Assert.Contains(failing.BaseAddress.Authority, error.Message);
        Assert.Equal(2, failing.RequestCount);

        using var other = await client.GetAsync(new Uri(healthy.BaseAddress, "overview"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_circuit_closes_again_once_the_break_is_over_and_a_trial_call_succeeds()
    {
        var broken = 1;
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = Volatile.Read(ref broken) == 1 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        var options = FastOptions();
        options.MaxRetryAttempts = 0;
        options.CircuitBreakerMinimumThroughput = 2;
        options.CircuitBreakerFailureRatio = 1;
        options.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(500);
        using var client = CreateClient(options, server.BaseAddress);

        for (var i = 0; i < 2; i++)
        {
            (await client.GetAsync("overview", TestContext.Current.CancellationToken)).Dispose();
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("overview", TestContext.Current.CancellationToken));
        Volatile.Write(ref broken, 0);
        await Task.Delay(TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken);

        using var trial = await client.GetAsync("overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        using var next = await client.GetAsync("overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public async Task Disabled_resilience_sends_each_request_once()
    {
        await using var server = await FailingThenOk(failures: 5);
        var options = FastOptions();
        options.Enabled = false;
        using var client = CreateClient(options, server.BaseAddress);

        using var response = await client.GetAsync("overview", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }
}
