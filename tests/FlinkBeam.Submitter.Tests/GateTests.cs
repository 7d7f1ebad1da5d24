using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Tests;

/// <summary>The readiness gate against real loopback servers (Flink REST, Job API, an HTTP/2 worker pool) and a real Python.</summary>
public sealed class GateTests : IAsyncLifetime
{
    private readonly string _root = FakePipelineFiles.TempDirectory("gate");
    private readonly List<ServiceProvider> _providers = [];
    private FakeFlinkCluster _flink = null!;
    private FakeBeamJobServer _jobServer = null!;
    private FakeWorkerPool _workerPool = null!;
    private string _python = null!;
    private string _catalog = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink = await FakeFlinkCluster.StartAsync(ct);
        _jobServer = await FakeBeamJobServer.StartAsync(ct);
        _workerPool = await FakeWorkerPool.StartAsync(ct);
        _python = FakePipelineFiles.CreateFakePython(Path.Combine(_root, "py"), VersionDefaults.Beam);
        _catalog = FakePipelineFiles.CreateCatalog(Path.Combine(_root, "catalog"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _flink.DisposeAsync();
        await _jobServer.DisposeAsync();
        await _workerPool.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_complete_cluster_is_ready_and_every_condition_is_named()
    {
        await using var gate = CreateGate(Options());

        var report = await gate.CheckAsync(2, TestContext.Current.CancellationToken);

        Assert.True(report.IsReady, report.Describe());
        Assert.Equal(
            ["flink-taskmanagers", "flink-slots", "job-server", $"worker-pool {_workerPool.HostAndPort}", "python"],
            report.Conditions.Select(c => c.Name));
        Assert.Equal("2 free of 2 slots", Condition(report, "flink-slots").Observed);
        Assert.Contains($"with apache-beam {VersionDefaults.Beam}", Condition(report, "python").Observed);
        Assert.True(_jobServer.CallCount("GetJobs") >= 1);
    }

    [Fact]
    public async Task A_cluster_that_becomes_ready_late_is_waited_for_and_the_progress_is_logged()
    {
        _flink.TaskManagers = 0;
        var logger = new GateLogCapture<ReadinessGate>();
        await using var gate = CreateGate(Options(), logger);
        var ct = TestContext.Current.CancellationToken;

        var waiting = gate.WaitUntilReadyAsync(1, TimeSpan.FromSeconds(30), ct);
        await WaitUntilAsync(() => _flink.RequestCount("/overview") >= 3, ct);
        Assert.False(waiting.IsCompleted);
        _flink.TaskManagers = 1;
        var report = await waiting;

        Assert.True(report.IsReady, report.Describe());
        var messages = logger.Entries.Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("Waiting for the cluster: ", StringComparison.Ordinal)
            && m.Contains("flink-taskmanagers: expected 1 TaskManager, saw 0 TaskManagers registered", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Cluster ready for parallelism 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cluster_that_never_becomes_ready_times_out_and_names_the_failing_conditions()
    {
        _flink.TaskManagers = 0;
        var closed = FakePipelineFiles.ClosedPort();
        var options = Options();
        options.JobEndpoint = $"127.0.0.1:{closed}";
        await using var gate = CreateGate(options);

        var report = await gate.WaitUntilReadyAsync(1, TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.False(report.IsReady);
        var failing = report.Conditions.Where(c => !c.Ok).Select(c => c.Name).ToList();
        Assert.Equal(["flink-taskmanagers", "flink-slots", "job-server"], failing.Intersect(["flink-taskmanagers", "flink-slots", "job-server"]));
        Assert.True(Condition(report, $"worker-pool {_workerPool.HostAndPort}").Ok);
        Assert.Contains("flink-taskmanagers: expected 1 TaskManager, saw 0 TaskManagers registered", report.Describe());
        Assert.Contains($"job-server: expected Job API GetJobs answers at 127.0.0.1:{closed}, saw connection refused", report.Describe());
        Assert.True(_flink.RequestCount("/overview") > 1, "the gate polls while it waits");
    }

    [Fact]
    public async Task Fewer_TaskManagers_than_expected_is_reported_with_both_counts()
    {
        var options = Options();
        options.TaskManagers = 3;
        _flink.TaskManagers = 2;
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        Assert.False(report.IsReady);
        var condition = Condition(report, "flink-taskmanagers");
        Assert.False(condition.Ok);
        Assert.Equal("3 TaskManagers", condition.Expected);
        Assert.Equal("2 TaskManagers registered", condition.Observed);
        Assert.True(Condition(report, "flink-slots").Ok);
    }

    [Fact]
    public async Task Fewer_free_slots_than_the_parallelism_is_reported()
    {
        _flink.SlotsPerTaskManager = 2;
        _flink.AddJob("someone-else", parallelism: 1);
        await using var gate = CreateGate(Options());

        var report = await gate.CheckAsync(2, TestContext.Current.CancellationToken);

        var slots = Condition(report, "flink-slots");
        Assert.False(slots.Ok);
        Assert.Equal("at least 2 free slots", slots.Expected);
        Assert.Equal("1 free of 2 slots", slots.Observed);
        Assert.True(Condition(report, "flink-taskmanagers").Ok);
        Assert.Equal("flink-slots: expected at least 2 free slots, saw 1 free of 2 slots", report.Describe());
    }

    [Fact]
    public async Task A_job_server_that_is_down_fails_its_condition()
    {
        var port = _jobServer.Port;
        var options = Options();
        await _jobServer.DisposeAsync();
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        var jobServer = Condition(report, "job-server");
        Assert.False(jobServer.Ok);
        Assert.Equal($"Job API GetJobs answers at 127.0.0.1:{port}", jobServer.Expected);
        Assert.Equal("connection refused", jobServer.Observed);
        Assert.Equal(["job-server"], report.Conditions.Where(c => !c.Ok).Select(c => c.Name));
    }

    [Fact]
    public async Task A_job_server_answering_with_a_gRPC_error_fails_with_the_status()
    {
        _jobServer.FailNext("GetJobs", FakeGrpcFailure.Status(14, "starting up"));
        await using var gate = CreateGate(Options());

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal("GetJobs failed with UNAVAILABLE: starting up", Condition(report, "job-server").Observed);
    }

    [Fact]
    public async Task A_worker_pool_address_that_refuses_connections_fails_its_own_condition()
    {
        var closed = $"127.0.0.1:{FakePipelineFiles.ClosedPort()}";
        var options = Options();
        options.WorkerPools = [_workerPool.HostAndPort, closed];
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        Assert.True(Condition(report, $"worker-pool {_workerPool.HostAndPort}").Ok);
        var refused = Condition(report, $"worker-pool {closed}");
        Assert.False(refused.Ok);
        Assert.Contains("refused", refused.Observed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([$"worker-pool {closed}"], report.Conditions.Where(c => !c.Ok).Select(c => c.Name));
    }

    [Fact]
    public async Task A_worker_pool_address_where_another_gRPC_service_answers_fails_naming_what_answered()
    {
        var options = Options();
        options.WorkerPools = [_jobServer.HostAndPort];
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        var pool = Condition(report, $"worker-pool {_jobServer.HostAndPort}");
        Assert.False(pool.Ok);
        Assert.Equal("a Beam worker pool answering StopWorker", pool.Expected);
        Assert.Equal("a gRPC server without org.apache.beam.model.fn_execution.v1.BeamFnExternalWorkerPool (StopWorker is UNIMPLEMENTED)", pool.Observed);
        Assert.Empty(_workerPool.StopWorkerIds);
    }

    [Fact]
    public async Task A_Flink_REST_error_fails_both_Flink_conditions_with_what_Flink_answered()
    {
        _flink.Interceptor = async context =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("{\"errors\":[\"Service temporarily unavailable due to an ongoing leader election.\"]}");
            return true;
        };
        await using var gate = CreateGate(Options());

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        var taskManagers = Condition(report, "flink-taskmanagers");
        Assert.False(taskManagers.Ok);
        Assert.StartsWith($"Flink REST {_flink.RestUrl} unusable: ", taskManagers.Observed, StringComparison.Ordinal);
        Assert.Contains("503", taskManagers.Observed, StringComparison.Ordinal);
        Assert.False(Condition(report, "flink-slots").Ok);
    }

    [Fact]
    public async Task A_wrong_apache_beam_version_fails_the_python_condition_with_both_versions()
    {
        var options = Options();
        options.PythonPath = FakePipelineFiles.CreateFakePython(Path.Combine(_root, "old"), "2.76.0");
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        var python = Condition(report, "python");
        Assert.False(python.Ok);
        Assert.Equal($"Python {FakePipelineFiles.RealPythonMinor} with apache-beam {VersionDefaults.Beam}", python.Expected);
        Assert.Contains("with apache-beam 2.76.0", python.Observed, StringComparison.Ordinal);
        Assert.Equal(["python"], report.Conditions.Where(c => !c.Ok).Select(c => c.Name));
    }

    [Fact]
    public async Task A_Python_of_another_minor_version_fails_the_python_condition()
    {
        var options = Options();
        options.PythonVersion = FakePipelineFiles.RealPythonMinor == "3.12" ? "3.13" : "3.12";
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        var python = Condition(report, "python");
        Assert.False(python.Ok);
        Assert.StartsWith($"Python {FakePipelineFiles.RealPythonMinor}.", python.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Python_without_apache_beam_fails_the_python_condition()
    {
        var options = Options();
        options.PythonPath = FakePipelineFiles.CreateFakePython(Path.Combine(_root, "bare"), beamVersion: null);
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        var python = Condition(report, "python");
        Assert.False(python.Ok);
        Assert.Contains("without apache-beam", python.Observed, StringComparison.Ordinal);
        Assert.Contains("apache_beam is not installed", python.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_interpreter_is_reported_as_not_found()
    {
        var options = Options();
        options.PythonVersion = "3.12";
        options.PythonPath = Path.Combine(_root, "no-such-python");
        await using var gate = CreateGate(options);

        var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal(
            $"python: expected Python 3.12 with apache-beam {VersionDefaults.Beam}, saw interpreter '{options.PythonPath}' not found",
            report.Describe());
    }

    [Fact]
    public async Task A_successful_python_check_runs_the_interpreter_once_and_a_failing_one_is_repeated()
    {
        var ct = TestContext.Current.CancellationToken;
        var good = new PythonEnvironmentCheck(Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<PythonEnvironmentCheck>.Instance);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await good.CheckAsync(ct)).Ok);
        }

        Assert.Equal(1, FakePipelineFiles.CountStarts(_python));

        var badOptions = Options();
        badOptions.PythonPath = FakePipelineFiles.CreateFakePython(Path.Combine(_root, "bad"), "2.70.0");
        var bad = new PythonEnvironmentCheck(Microsoft.Extensions.Options.Options.Create(badOptions), NullLogger<PythonEnvironmentCheck>.Instance)
        {
            RecheckInterval = TimeSpan.Zero,
        };
        Assert.False((await bad.CheckAsync(ct)).Ok);
        Assert.False((await bad.CheckAsync(ct)).Ok);
        Assert.Equal(2, FakePipelineFiles.CountStarts(badOptions.PythonPath));
    }

    [Fact]
    public async Task Concurrent_python_checks_share_one_interpreter_start()
    {
        var check = new PythonEnvironmentCheck(Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<PythonEnvironmentCheck>.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => check.CheckAsync(TestContext.Current.CancellationToken)));

        Assert.All(results, r => Assert.True(r.Ok, r.Observed));
        Assert.Equal(1, FakePipelineFiles.CountStarts(_python));
    }

    [Fact]
    public async Task FlinkRunner_mode_without_worker_pools_asks_for_the_job_server_jar_but_neither_the_job_server_nor_a_pool()
    {
        var jar = Path.GetTempFileName();
        try
        {
            var options = Options();
            options.Mode = RunnerMode.Flink;
            options.Environment = SdkEnvironment.Process;
            options.JobEndpoint = null;
            options.FlinkJobServerJar = jar;
            await using var gate = CreateGate(options);

            var report = await gate.CheckAsync(1, TestContext.Current.CancellationToken);

            Assert.True(report.IsReady, report.Describe());
            Assert.Equal(["flink-taskmanagers", "flink-slots", "flink-job-server-jar", "python"], report.Conditions.Select(c => c.Name));
            Assert.Equal(0, _jobServer.CallCount("GetJobs"));
        }
        finally
        {
            File.Delete(jar);
        }
    }

    [Fact]
    public async Task The_health_check_is_healthy_only_while_the_gate_holds_and_reuses_its_answer_briefly()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink.TaskManagers = 0;
        await using var gate = CreateGate(Options());
        var time = new ManualTimeProvider();
        var check = new ReadinessHealthCheck(gate, time) { CacheDuration = TimeSpan.FromSeconds(2) };
        var context = new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext
        {
            Registration = new(ReadinessHealthCheck.Name, check, null, null),
        };

        var first = await check.CheckHealthAsync(context, ct);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, first.Status);
        Assert.Contains("flink-taskmanagers: expected 1 TaskManager, saw 0 TaskManagers registered", first.Description);
        var asked = _flink.RequestCount("/overview");

        _flink.TaskManagers = 1;
        var cached = await check.CheckHealthAsync(context, ct);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, cached.Status);
        Assert.Equal(asked, _flink.RequestCount("/overview"));

        time.Advance(TimeSpan.FromSeconds(3));
        var fresh = await check.CheckHealthAsync(context, ct);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, fresh.Status);
        Assert.DoesNotContain("flink-slots", fresh.Data.Keys);
    }

    [Fact]
    public async Task Runs_admitted_together_never_ask_for_more_slots_than_are_free_and_a_released_run_lets_the_next_in()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink.SlotsPerTaskManager = 4;
        await using var gate = CreateGate(Options());

        var asked = Enumerable.Range(0, 6).Select(_ => gate.AdmitAsync(1, TimeSpan.FromSeconds(30), ct)).ToList();
        await WaitUntilAsync(() => asked.Count(t => t.IsCompleted) == 4, ct);
        var admitted = asked.Where(t => t.IsCompleted).Select(t => t.Result).ToList();
        Assert.All(admitted, a => Assert.True(a.Admitted, a.Report.Describe()));
        Assert.Contains("4 free of 4 slots, 3 of them promised to runs being launched", admitted.Select(a => Condition(a.Report, "flink-slots").Observed));

        // The gate goes on asking Flink, but no fifth run is admitted while four hold the four slots.
        var overview = _flink.RequestCount("/overview");
        await WaitUntilAsync(() => _flink.RequestCount("/overview") >= overview + 3, ct);
        Assert.Equal(4, asked.Count(t => t.IsCompleted));

        admitted[0].Release();
        admitted[0].Release();
        await WaitUntilAsync(() => asked.Count(t => t.IsCompleted) == 5, ct);
        Assert.True((await asked.First(t => t.IsCompleted && !admitted.Contains(t.Result))).Admitted);
        Assert.Equal(1, asked.Count(t => !t.IsCompleted));
    }

    [Fact]
    public async Task Waiting_for_slots_on_a_ready_cluster_is_not_counted_against_the_ready_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink.SlotsAvailableOverride = 0;
        await using var gate = CreateGate(Options());

        var waiting = gate.AdmitAsync(1, TimeSpan.FromMilliseconds(300), ct);
        var overview = _flink.RequestCount("/overview");
        await WaitUntilAsync(() => _flink.RequestCount("/overview") >= overview + 20, ct);
        Assert.False(waiting.IsCompleted, "a run queued for slots on a ready cluster must not be refused");

        _flink.SlotsAvailableOverride = null;
        using var admission = await waiting;

        Assert.True(admission.Admitted, admission.Report.Describe());
    }

    [Fact]
    public async Task A_run_needing_more_slots_than_the_cluster_has_is_refused_after_the_timeout_naming_the_slots()
    {
        await using var gate = CreateGate(Options());

        var admission = await gate.AdmitAsync(3, TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.False(admission.Admitted);
        Assert.Equal(
            "flink-slots: expected at least 3 free slots, saw 2 slots in the whole cluster; add TaskManagers or slots, or lower the pipeline's parallelism",
            admission.Report.Describe());
    }

    [Fact]
    public async Task A_cluster_that_fails_while_runs_wait_refuses_them_naming_the_condition_that_failed_not_the_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink.SlotsAvailableOverride = 0;
        await using var gate = CreateGate(Options());
        var waiting = gate.AdmitAsync(1, TimeSpan.FromMilliseconds(500), ct);
        var overview = _flink.RequestCount("/overview");
        await WaitUntilAsync(() => _flink.RequestCount("/overview") >= overview + 5, ct);

        _flink.TaskManagers = 0;
        var admission = await waiting;

        Assert.False(admission.Admitted);
        Assert.Equal(
            "flink-taskmanagers: expected 1 TaskManager, saw 0 TaskManagers registered" + Environment.NewLine
            + "flink-slots: expected at least 1 free slot, saw 0 slots in the whole cluster; add TaskManagers or slots, or lower the pipeline's parallelism",
            admission.Report.Describe());
    }

    [Fact]
    public async Task Runs_are_admitted_in_the_order_they_asked_a_small_one_does_not_overtake_a_large_one()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink.SlotsPerTaskManager = 4;
        _flink.SlotsAvailableOverride = 2;
        await using var gate = CreateGate(Options());

        var large = gate.AdmitAsync(3, TimeSpan.FromSeconds(30), ct);
        var overview = _flink.RequestCount("/overview");
        await WaitUntilAsync(() => _flink.RequestCount("/overview") >= overview + 2, ct);
        var small = gate.AdmitAsync(1, TimeSpan.FromSeconds(30), ct);
        await WaitUntilAsync(() => _flink.RequestCount("/overview") >= overview + 6, ct);
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        _flink.SlotsAvailableOverride = 4;
        using var first = await large;
        using var second = await small;

        Assert.True(first.Admitted && second.Admitted);
    }

    [Fact]
    public async Task Two_hundred_runs_asking_at_once_on_a_ready_cluster_are_all_admitted_on_shared_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        _flink.SlotsPerTaskManager = 256;
        await using var gate = CreateGate(Options());
        Assert.True((await gate.CheckAsync(1, ct)).IsReady);
        var overview = _flink.RequestCount("/overview");

        var admissions = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => gate.AdmitAsync(1, TimeSpan.FromSeconds(30), ct)));

        Assert.All(admissions, a => Assert.True(a.Admitted, a.Report.Describe()));
        Assert.True(_flink.RequestCount("/overview") - overview < 50, $"{_flink.RequestCount("/overview") - overview} /overview requests for 200 runs");
        // Each admission saw the slots promised to the runs admitted before it: 0, 1, ..., 199.
        var promised = admissions
            .Select(a => System.Text.RegularExpressions.Regex.Match(Condition(a.Report, "flink-slots").Observed, @", (\d+) of them promised"))
            .Select(m => m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        Assert.Equal(Enumerable.Range(0, 200), promised.Order());
    }

    private SubmitterOptions Options() => new()
    {
        FlinkRestUrl = _flink.RestUrl.ToString(),
        JobEndpoint = _jobServer.HostAndPort,
        WorkerPools = [_workerPool.HostAndPort],
        TaskManagers = 1,
        PythonPath = _python,
        PythonVersion = FakePipelineFiles.RealPythonMinor,
        BeamVersion = VersionDefaults.Beam,
        CatalogPath = _catalog,
        ConditionTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The gate as the Submitter builds it (<c>AddReadinessGate</c>), over explicit addresses, with an optional log capture.</summary>
    private ReadinessGate CreateGate(SubmitterOptions options, ILogger<ReadinessGate>? logger = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddLogging();
        if (logger is not null)
        {
            services.AddSingleton(logger);
        }

        services.AddExplicitServiceEndpoints().AddReadinessGate();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<ReadinessGate>();
    }

    private static ReadinessCondition Condition(ReadinessReport report, string name) =>
        Assert.Single(report.Conditions, c => c.Name == name);

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
