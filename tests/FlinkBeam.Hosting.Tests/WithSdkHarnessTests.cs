using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// <c>WithSdkHarness</c>: the TaskManager learns where the SDK harness runs and, under <c>dotnet run</c> on Linux, the host
/// user's ids, so files in outputs/ belong to that user; the AppHost says once where that is not so.
/// </summary>
public sealed class WithSdkHarnessTests
{
    private static readonly HostUser User = new(1000, 1001);

    public static TheoryData<uint?, SdkEnvironment, string[], string?> Decisions() => new()
    {
        // A Linux user, External: ids passed, nothing to say.
        { 1000, SdkEnvironment.External, ["FLINKBEAM_SDK_ENVIRONMENT=External", "FLINKBEAM_UID=1000", "FLINKBEAM_GID=1001"], null },
        // Process: ids still passed (the worker pool uses them), and the harness's own user named.
        { 1000, SdkEnvironment.Process, ["FLINKBEAM_SDK_ENVIRONMENT=Process", "FLINKBEAM_UID=1000", "FLINKBEAM_GID=1001"],
            "run the SDK harness themselves, as Flink's user (uid 9999) with the group of outputs/ (gid 1001)" },
        // root on Linux: root's files, said so.
        { 0, SdkEnvironment.External, ["FLINKBEAM_SDK_ENVIRONMENT=External", "FLINKBEAM_UID=0", "FLINKBEAM_GID=1001"],
            "The AppHost runs as root, so the TaskManagers' SDK workers run as root too" },
        // No ids on this platform: none passed, said so.
        { null, SdkEnvironment.External, ["FLINKBEAM_SDK_ENVIRONMENT=External"], "On macOS the AppHost passes no user ids to the TaskManagers" },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void The_decision_passes_the_host_users_ids_where_known_and_names_what_else_happens(
        uint? uid, SdkEnvironment environment, string[] variables, string? notice)
    {
        HostUser? host = uid is { } id ? new HostUser(id, 1001) : null;

        var decision = SdkHarnessUser.Decide(host, environment, "macOS");

        Assert.Equal(variables, decision.Environment.Select(v => $"{v.Key}={v.Value}"));
        if (notice is null)
        {
            Assert.Null(decision.Notice);
        }
        else
        {
            Assert.Contains(notice, decision.Notice, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_current_user_on_Linux_is_the_one_id_reports()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(HostUser.Current());
            return;
        }

        var user = Assert.NotNull(HostUser.Current());

        Assert.Equal((Id("-u"), Id("-g")), (user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Under_dotnet_run_every_TaskManager_gets_the_environment_and_the_host_users_ids()
    {
        var builder = Model.RunMode();
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink);
        var taskManagers = builder.AddFlinkTaskManagers(Model.Flink, jobManager, t => t.WithSdkHarness(SdkEnvironment.External, User));
        await using var app = builder.Build();

        foreach (var taskManager in taskManagers)
        {
            var environment = await Model.EnvironmentAsync(app, taskManager.Resource);
            Assert.Equal(("External", "1000", "1001"), (environment["FLINKBEAM_SDK_ENVIRONMENT"], environment["FLINKBEAM_UID"], environment["FLINKBEAM_GID"]));
        }
    }

    [Fact]
    public async Task A_published_TaskManager_gets_no_ids_of_the_publishing_machine()
    {
        var builder = Model.PublishMode();
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink);
        var taskManager = builder.AddFlinkTaskManager(ResourceNames.TaskManager(1), Model.Flink, jobManager).WithSdkHarness(SdkEnvironment.Process, User);
        await using var app = builder.Build();

        var environment = await Model.EnvironmentAsync(app, taskManager.Resource);

        Assert.Equal("Process", environment["FLINKBEAM_SDK_ENVIRONMENT"]);
        Assert.False(environment.ContainsKey("FLINKBEAM_UID"));
        Assert.False(environment.ContainsKey("FLINKBEAM_GID"));
    }

    [Fact]
    public async Task The_notice_is_said_once_at_start_however_many_TaskManagers_there_are()
    {
        var builder = Model.RunMode();
        var logs = new NoticeCollector();
        builder.Services.AddSingleton<ILoggerProvider>(logs);
        var jobManager = builder.AddFlinkJobManager(ResourceNames.JobManager, Model.Flink);
        builder.AddFlinkTaskManagers(Model.Flink with { TaskManagers = 3 }, jobManager, t => t.WithSdkHarness(SdkEnvironment.Process, User));
        await using var app = builder.Build();

        await app.Services.GetRequiredService<Aspire.Hosting.Eventing.IDistributedApplicationEventing>().PublishAsync(
            new BeforeStartEvent(app.Services, app.Services.GetRequiredService<DistributedApplicationModel>()),
            TestContext.Current.CancellationToken);

        var notice = Assert.Single(logs.Messages, m => m.Contains("Environment=Process", StringComparison.Ordinal));
        Assert.Contains("gid 1001", notice, StringComparison.Ordinal);
    }

    private static string Id(string flag)
    {
        using var process = Process.Start(new ProcessStartInfo("id", [flag]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    private sealed class NoticeCollector : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
