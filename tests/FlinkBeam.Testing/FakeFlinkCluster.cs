using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlinkBeam.Cluster.Flink;
using FlinkBeam.Cluster.Topology;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlinkBeam.Testing;

/// <summary>
/// A loopback Flink JobManager REST API (HTTP/1.1) with Flink's exact JSON field names: /overview, /taskmanagers,
/// /jobs/overview, /jobs/{jid}, /jobs/{jid}/exceptions, PATCH /jobs/{jid}?mode=cancel, and a job's metrics:
/// /jobs/{jid}/vertices/{vid}/subtasks/metrics, /jobs/{jid}/metrics and /jobs/{jid}/checkpoints, answering what
/// <see cref="SetJobMetrics"/> scripted (<see cref="FakeFlinkJobMetrics"/>). Jobs are added by the
/// test, or through the /__fake/ control endpoint by a child process playing a Beam client:
/// POST /__fake/jobs {"name":..,"parallelism":1,"states":[{"state":"RUNNING","ms":300},{"state":"FINISHED"}],
/// "exception":{"name":..,"stacktrace":..}} → 201 {"jid":..}; GET /__fake/jobs/{jid} → {"jid","name","state"};
/// GET /__fake/jobs/{jid}?after=RUNNING → the same, answered once the state is no longer RUNNING (or after
/// <see cref="MaxStateWait"/>), so a client learns of each change as it happens, like Beam's GetStateStream;
/// GET /__fake/jobs → {"jobs":[...]}.
/// </summary>
public sealed partial class FakeFlinkCluster : IAsyncDisposable
{
    private const string FakePrefix = "/__fake/";

    /// <summary>The longest a <c>GET /__fake/jobs/{jid}?after=STATE</c> waits for a change before answering the unchanged state.</summary>
    public static readonly TimeSpan MaxStateWait = TimeSpan.FromSeconds(10);

    // Flink writes quotes and angle brackets as they are; so does the fake.
    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly object _gate = new();
    private readonly List<FakeFlinkJobTimeline> _jobs = [];
    private readonly List<string> _cancelled = [];
    private readonly ConcurrentDictionary<string, int> _requestCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requestLog = new();
    private readonly TimeProvider _time;
    private LoopbackHttpServer? _server;
    private TaskCompletionSource _stateSet = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _taskManagers = 1;
    private int _slotsPerTaskManager = 2;

    private FakeFlinkCluster(TimeProvider time) => _time = time;

    /// <summary>"http://127.0.0.1:&lt;port&gt;/".</summary>
    public Uri RestUrl => Server.Url;

    /// <summary>"127.0.0.1:&lt;port&gt;", the form Beam's --flink-master takes.</summary>
    public string HostAndPort => Server.HostAndPort;

    /// <summary>Registered TaskManagers reported by /overview and /taskmanagers (default 1).</summary>
    public int TaskManagers
    {
        get => Volatile.Read(ref _taskManagers);
        set => Volatile.Write(ref _taskManagers, value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "TaskManagers cannot be negative."));
    }

    /// <summary>Slots of each TaskManager (default 2).</summary>
    public int SlotsPerTaskManager
    {
        get => Volatile.Read(ref _slotsPerTaskManager);
        set => Volatile.Write(ref _slotsPerTaskManager, value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "SlotsPerTaskManager cannot be negative."));
    }

    /// <summary>
    /// When set, /overview reports this many available slots. Otherwise available = total minus the parallelism of
    /// jobs whose tasks are deployed (RUNNING, FAILING, CANCELLING), and /taskmanagers spreads those slots in order.
    /// </summary>
    public int? SlotsAvailableOverride { get; set; }

    /// <summary>Reported as "flink-version" (default "1.20.0").</summary>
    public string FlinkVersion { get; set; } = "1.20.0";

    /// <summary>What the metrics endpoints of jobs added from now on answer, until <see cref="SetJobMetrics"/> changes a job's.</summary>
    public FakeFlinkJobMetrics DefaultJobMetrics { get; set; } = new();

    /// <summary>Reported as "flink-commit".</summary>
    public string FlinkCommit { get; set; } = "4b1ff9a";

    /// <summary>
    /// Runs before the fake's own handling of every request (the request is already counted); return true when it
    /// wrote the answer. Tests use it to inject 500s, broken JSON or delays.
    /// </summary>
    public Func<HttpContext, Task<bool>>? Interceptor { get; set; }

    /// <summary>Snapshots of all jobs in the order they were added.</summary>
    public IReadOnlyList<FakeFlinkJob> Jobs
    {
        get
        {
            var now = Now();
            lock (_gate)
            {
                return _jobs.Select(j => j.Snapshot(now)).ToList();
            }
        }
    }

    /// <summary>Ids of existing jobs for which PATCH /jobs/{jid}?mode=cancel was received, in arrival order.</summary>
    public IReadOnlyList<string> CancelledJobIds
    {
        get
        {
            lock (_gate)
            {
                return _cancelled.ToList();
            }
        }
    }

    /// <summary>Every request received, as "METHOD /path?query", in arrival order.</summary>
    public IReadOnlyList<string> RequestLog => _requestLog.ToArray();

    private LoopbackHttpServer Server => _server ?? throw new ObjectDisposedException(nameof(FakeFlinkCluster));

    /// <summary>Starts a fake on 127.0.0.1 with an ephemeral port, on wall-clock time.</summary>
    public static Task<FakeFlinkCluster> StartAsync(CancellationToken ct = default) => StartAsync(TimeProvider.System, ct);

    /// <summary>Starts a fake whose timestamps and scripted phases follow <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeFlinkCluster> StartAsync(TimeProvider timeProvider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var fake = new FakeFlinkCluster(timeProvider);
        fake._server = await LoopbackHttpServer.StartAsync(HttpProtocols.Http1, fake.HandleAsync, ct).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Adds a job that stays in <paramref name="state"/> until changed.</summary>
    /// <exception cref="ArgumentException">Unknown state, empty name or parallelism below 1.</exception>
    public FakeFlinkJob AddJob(string name, string state = FlinkJobStates.Running, int parallelism = 1) =>
        AddJob(name, [new FakeFlinkJobPhase(state)], parallelism);

    /// <summary>Adds a job that walks through <paramref name="phases"/> by wall time; the last phase stays.</summary>
    /// <param name="name">Job name.</param>
    /// <param name="phases">At least one phase; every phase but the last needs a duration.</param>
    /// <param name="parallelism">Slots the job holds while running.</param>
    /// <param name="failure">Shown in /jobs/{jid}/exceptions once the job reaches FAILED.</param>
    public FakeFlinkJob AddJob(string name, IReadOnlyList<FakeFlinkJobPhase> phases, int parallelism = 1, FakeFlinkJobException? failure = null)
    {
        ValidateJob(name, phases, parallelism);
        var now = Now();
        var job = new FakeFlinkJobTimeline(Guid.NewGuid().ToString("N"), name, parallelism, now) { FailureException = failure, Metrics = DefaultJobMetrics };
        job.Script(phases, now);
        lock (_gate)
        {
            _jobs.Add(job);
        }

        return job.Snapshot(now);
    }

    /// <summary>The job's current snapshot, or null when there is no such job.</summary>
    public FakeFlinkJob? FindJob(string jobId)
    {
        var now = Now();
        lock (_gate)
        {
            return Find(jobId)?.Snapshot(now);
        }
    }

    /// <summary>Moves a job to <paramref name="state"/> now, dropping any scripted phases still ahead.</summary>
    /// <exception cref="ArgumentException">Unknown job or state.</exception>
    public void SetJobState(string jobId, string state)
    {
        ValidateState(state, nameof(state));
        var now = Now();
        lock (_gate)
        {
            (Find(jobId) ?? throw UnknownJob(jobId)).Set(state, now);
            StateSet();
        }
    }

    /// <summary>Makes /jobs/{jid}/exceptions report this failure (in exceptionHistory and root-exception).</summary>
    /// <exception cref="ArgumentException">Unknown job.</exception>
    public void SetJobException(string jobId, string exceptionName, string stacktrace)
    {
        ArgumentException.ThrowIfNullOrEmpty(exceptionName);
        ArgumentNullException.ThrowIfNull(stacktrace);
        var now = Now();
        lock (_gate)
        {
            (Find(jobId) ?? throw UnknownJob(jobId)).ExplicitException = (new FakeFlinkJobException(exceptionName, stacktrace), now);
        }
    }

    /// <summary>Makes the job's metrics endpoints answer <paramref name="metrics"/> from now on.</summary>
    /// <exception cref="ArgumentException">Unknown job.</exception>
    public void SetJobMetrics(string jobId, FakeFlinkJobMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_gate)
        {
            (Find(jobId) ?? throw UnknownJob(jobId)).Metrics = metrics;
        }
    }

    /// <summary>The id the fake gives vertex <paramref name="index"/> of job <paramref name="jobId"/>.</summary>
    public static string VertexId(string jobId, int index) => FakeFlinkMetricsJson.VertexId(jobId, index);

    /// <summary>How many requests arrived for <paramref name="path"/> (no query), e.g. "/overview".</summary>
    public int RequestCount(string path) => _requestCounts.TryGetValue(path, out var n) ? n : 0;

    /// <summary>How many requests arrived so far for each path (no query).</summary>
    public IReadOnlyDictionary<string, int> RequestCounts => new Dictionary<string, int>(_requestCounts, StringComparer.Ordinal);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Wakes the waits for a state change; called under the lock after a job's state was set explicitly.</summary>
    private void StateSet()
    {
        _stateSet.TrySetResult();
        _stateSet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Answers the job's control view once its state differs from <paramref name="after"/>, or after <see cref="MaxStateWait"/>.</summary>
    private async Task<(int, JsonNode)> WaitForChangeAsync(string jobId, string after, CancellationToken ct)
    {
        var deadline = Now() + (long)MaxStateWait.TotalMilliseconds;
        while (true)
        {
            var now = Now();
            FakeFlinkJob job;
            long? next;
            Task stateSet;
            lock (_gate)
            {
                if (Find(jobId) is not { } timeline)
                {
                    return Error(404, $"No fake job '{jobId}'.");
                }

                job = timeline.Snapshot(now);
                next = timeline.NextTransition(now);
                stateSet = _stateSet.Task;
            }

            if (job.State != after || now >= deadline)
            {
                return (200, ControlView(job));
            }

            var wake = Math.Min(next ?? deadline, deadline);
            await Task.WhenAny(stateSet, Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, wake - now)), _time, ct)).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                return Error(499, "The client went away.");
            }
        }
    }

    private FakeFlinkJobTimeline? Find(string jobId) => _jobs.Find(j => j.Id == jobId);

    private static ArgumentException UnknownJob(string jobId) =>
        new($"The fake Flink cluster has no job '{jobId}'.", nameof(jobId));

    private static void ValidateState(string state, string parameter)
    {
        if (!FlinkJobStates.IsKnown(state))
        {
            throw new ArgumentException(
                $"'{state}' is not a Flink job state; expected one of {string.Join(", ", FlinkJobStates.All)}.", parameter);
        }
    }

    private static void ValidateJob(string name, IReadOnlyList<FakeFlinkJobPhase> phases, int parallelism)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(phases);
        if (phases.Count == 0)
        {
            throw new ArgumentException("A fake job needs at least one phase.", nameof(phases));
        }

        for (var i = 0; i < phases.Count; i++)
        {
            ValidateState(phases[i].State, nameof(phases));
            if (i < phases.Count - 1 && (phases[i].Duration is not { } d || d < TimeSpan.Zero))
            {
                throw new ArgumentException(
                    $"Phase {i} ({phases[i].State}) needs a non-negative duration because another phase follows it.", nameof(phases));
            }
        }

        if (parallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "Parallelism must be at least 1.");
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requestCounts.AddOrUpdate(path, 1, (_, n) => n + 1);
        _requestLog.Enqueue($"{context.Request.Method} {path}{context.Request.QueryString}");

        if (Interceptor is { } interceptor && await interceptor(context).ConfigureAwait(false))
        {
            return;
        }

        var (status, body) = path.StartsWith(FakePrefix, StringComparison.Ordinal)
            ? await HandleControlAsync(context, path).ConfigureAwait(false)
            : HandleRest(context, path);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString(JsonOutput), context.RequestAborted).ConfigureAwait(false);
    }

    private (int Status, JsonNode Body) HandleRest(HttpContext context, string path)
    {
        var method = context.Request.Method;
        var segments = path.Trim('/').Split('/');
        var now = Now();
        lock (_gate)
        {
            switch (method, segments)
            {
                case ("GET", ["overview"]):
                    return (200, Overview(now));
                case ("GET", ["taskmanagers"]):
                    return (200, TaskManagerList(now));
                case ("GET", ["jobs", "overview"]):
                    return (200, new JsonObject { ["jobs"] = new JsonArray(_jobs.Select(j => JobSummary(j, now)).ToArray<JsonNode?>()) });
                case ("GET", ["jobs"]):
                    return (200, new JsonObject
                    {
                        ["jobs"] = new JsonArray(_jobs.Select(j => (JsonNode?)new JsonObject
                        {
                            ["id"] = j.Id,
                            ["status"] = j.Current(now).State,
                        }).ToArray()),
                    });
                case ("GET", ["jobs", var id]):
                    return WithJob(id, j => (200, JobDetails(j, now)));
                case ("GET", ["jobs", var id, "exceptions"]):
                    return WithJob(id, j => (200, JobExceptions(j, now)));
                case ("GET", ["jobs", var id, "vertices", var vertex, "subtasks", "metrics"]):
                    return WithJob(id, j => FakeFlinkMetricsJson.SubtaskMetrics(j, vertex, Get(context)) is { } list
                        ? (200, list)
                        : Error(404, $"org.apache.flink.runtime.rest.NotFoundException: Vertex {vertex} of job {id} not found"));
                case ("GET", ["jobs", var id, "metrics"]):
                    return WithJob(id, j => (200, FakeFlinkMetricsJson.JobMetrics(j, Get(context))));
                case ("GET", ["jobs", var id, "checkpoints"]):
                    return WithJob(id, j => FakeFlinkMetricsJson.Checkpoints(j, now) is { } checkpoints
                        ? (200, checkpoints)
                        : Error(404, "Checkpointing has not been enabled."));
                case ("PATCH", ["jobs", var id]):
                    return WithJob(id, j => Cancel(j, context.Request.Query["mode"].ToString(), now));
                case (_, ["overview"] or ["taskmanagers"] or ["jobs", ..]):
                    return Error(405, $"Request method {method} is not allowed for {path}.");
                default:
                    return Error(404, $"Not found: {path}");
            }
        }
    }

    private (int, JsonNode) WithJob(string id, Func<FakeFlinkJobTimeline, (int, JsonNode)> answer)
    {
        if (!JobIdPattern().IsMatch(id))
        {
            return Error(400, $"Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value \"{id}\".");
        }

        return Find(id) is { } job
            ? answer(job)
            : Error(404, $"org.apache.flink.runtime.rest.NotFoundException: Job {id} not found\n\tat org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)");
    }

    private (int, JsonNode) Cancel(FakeFlinkJobTimeline job, string mode, long now)
    {
        if (mode.Length > 0 && mode != "cancel")
        {
            return Error(400, $"Bad request, could not parse parameters: Cannot resolve query parameter (mode) from value \"{mode}\"; this cluster accepts \"cancel\".");
        }

        _cancelled.Add(job.Id);
        var state = job.Current(now).State;
        if (FlinkJobStates.IsTerminal(state) && state != FlinkJobStates.Canceled)
        {
            return Error(409, $"Job cancellation failed because the job has already reached another terminal state ({state}).");
        }

        if (state != FlinkJobStates.Canceled)
        {
            job.Set(FlinkJobStates.Canceled, now);
            StateSet();
        }

        return (202, new JsonObject());
    }

    private int SlotsInUse(long now) =>
        _jobs.Where(j => j.Current(now).State is FlinkJobStates.Running or FlinkJobStates.Failing or FlinkJobStates.Cancelling)
            .Sum(j => j.Parallelism);

    private JsonObject Overview(long now)
    {
        var total = TaskManagers * SlotsPerTaskManager;
        var available = SlotsAvailableOverride ?? Math.Max(0, total - SlotsInUse(now));
        var states = _jobs.Select(j => j.Current(now).State).ToList();
        return new JsonObject
        {
            ["taskmanagers"] = TaskManagers,
            ["slots-total"] = total,
            ["slots-available"] = available,
            ["slots-free-and-blocked"] = 0,
            ["taskmanagers-blocked"] = 0,
            ["jobs-running"] = states.Count(s => !FlinkJobStates.IsTerminal(s)),
            ["jobs-finished"] = states.Count(s => s == FlinkJobStates.Finished),
            ["jobs-cancelled"] = states.Count(s => s == FlinkJobStates.Canceled),
            ["jobs-failed"] = states.Count(s => s == FlinkJobStates.Failed),
            ["flink-version"] = FlinkVersion,
            ["flink-commit"] = FlinkCommit,
        };
    }

    private JsonObject TaskManagerList(long now)
    {
        var used = SlotsInUse(now);
        var list = new JsonArray();
        for (var i = 0; i < TaskManagers; i++)
        {
            var busy = Math.Min(used, SlotsPerTaskManager);
            used -= busy;
            var host = $"10.89.0.{i + 2}";
            list.Add(new JsonObject
            {
                ["id"] = $"{host}:6122-{i + 1:x6}",
                ["path"] = $"pekko.tcp://flink@{host}:6122/user/rpc/taskmanager_0",
                ["dataPort"] = 40_000 + i,
                ["jmxPort"] = -1,
                ["timeSinceLastHeartbeat"] = now,
                ["slotsNumber"] = SlotsPerTaskManager,
                ["freeSlots"] = SlotsPerTaskManager - busy,
                ["blocked"] = false,
                ["totalResource"] = new JsonObject { ["cpuCores"] = 2.0, ["taskHeapMemory"] = 383, ["extendedResources"] = new JsonObject() },
                ["hardware"] = new JsonObject { ["cpuCores"] = 2, ["physicalMemory"] = 8_589_934_592L, ["freeMemory"] = 536_870_912L, ["managedMemory"] = 536_870_920L },
            });
        }

        return new JsonObject { ["taskmanagers"] = list };
    }

    private static JsonObject Tasks(FakeFlinkJobTimeline job, string state)
    {
        int Count(params string[] when) => when.Contains(state) ? job.Parallelism : 0;
        return new JsonObject
        {
            ["running"] = Count(FlinkJobStates.Running),
            ["canceling"] = Count(FlinkJobStates.Cancelling),
            ["canceled"] = Count(FlinkJobStates.Canceled),
            ["total"] = job.Parallelism,
            ["created"] = Count(FlinkJobStates.Created, FlinkJobStates.Initializing),
            ["scheduled"] = 0,
            ["deploying"] = 0,
            ["reconciling"] = Count(FlinkJobStates.Reconciling),
            ["finished"] = Count(FlinkJobStates.Finished),
            ["initializing"] = 0,
            ["failed"] = Count(FlinkJobStates.Failed, FlinkJobStates.Failing),
        };
    }

    private static JsonObject JobSummary(FakeFlinkJobTimeline job, long now)
    {
        var s = job.Snapshot(now);
        return new JsonObject
        {
            ["jid"] = s.Id,
            ["name"] = s.Name,
            ["start-time"] = s.StartTime,
            ["end-time"] = s.EndTime,
            ["duration"] = s.Duration,
            ["state"] = s.State,
            ["last-modification"] = s.LastModification,
            ["tasks"] = Tasks(job, s.State),
            ["pending-operators"] = 0,
        };
    }

    private static JsonObject JobDetails(FakeFlinkJobTimeline job, long now)
    {
        var s = job.Snapshot(now);
        var timestamps = new JsonObject();
        foreach (var state in FlinkJobStates.All)
        {
            timestamps[state] = job.History(now).Where(h => h.State == state).Select(h => h.At).DefaultIfEmpty(0).First();
        }

        return new JsonObject
        {
            ["jid"] = s.Id,
            ["name"] = s.Name,
            ["isStoppable"] = false,
            ["state"] = s.State,
            ["job-type"] = "BATCH",
            ["start-time"] = s.StartTime,
            ["end-time"] = s.EndTime,
            ["duration"] = s.Duration,
            ["maxParallelism"] = -1,
            ["now"] = now,
            ["timestamps"] = timestamps,
            ["vertices"] = FakeFlinkMetricsJson.Vertices(job, s, Tasks(job, s.State)),
            ["status-counts"] = Tasks(job, s.State),
            ["plan"] = new JsonObject { ["jid"] = s.Id, ["name"] = s.Name, ["type"] = "BATCH", ["nodes"] = new JsonArray() },
        };
    }

    private static JsonObject JobExceptions(FakeFlinkJobTimeline job, long now)
    {
        var exceptions = job.Exceptions(now);
        var entries = new JsonArray(exceptions.Select(e => (JsonNode?)new JsonObject
        {
            ["exceptionName"] = e.Exception.ExceptionName,
            ["stacktrace"] = e.Exception.Stacktrace,
            ["timestamp"] = e.At,
            ["taskName"] = null,
            ["endpoint"] = null,
            ["taskManagerId"] = null,
            ["failureLabels"] = new JsonObject(),
            ["concurrentExceptions"] = new JsonArray(),
        }).ToArray());
        var body = new JsonObject
        {
            ["all-exceptions"] = new JsonArray(),
            ["truncated"] = false,
            ["exceptionHistory"] = new JsonObject { ["entries"] = entries, ["truncated"] = false },
        };
        if (exceptions.Count > 0)
        {
            body["root-exception"] = exceptions[0].Exception.Stacktrace;
            body["timestamp"] = exceptions[0].At;
        }

        return body;
    }

    private async Task<(int, JsonNode)> HandleControlAsync(HttpContext context, string path)
    {
        var segments = path[FakePrefix.Length..].Trim('/').Split('/');
        switch (context.Request.Method, segments)
        {
            case ("POST", ["jobs"]):
                return await CreateScriptedJobAsync(context).ConfigureAwait(false);
            case ("GET", ["jobs"]):
                return (200, new JsonObject { ["jobs"] = new JsonArray(Jobs.Select(j => (JsonNode?)ControlView(j)).ToArray()) });
            case ("GET", ["jobs", var id]) when context.Request.Query.TryGetValue("after", out var after):
                return await WaitForChangeAsync(id, after.ToString(), context.RequestAborted).ConfigureAwait(false);
            case ("GET", ["jobs", var id]):
                return FindJob(id) is { } job ? (200, ControlView(job)) : Error(404, $"No fake job '{id}'.");
            default:
                return Error(404, $"Not found: {path}; the control endpoint has POST /__fake/jobs, GET /__fake/jobs and GET /__fake/jobs/{{jid}}[?after=STATE].");
        }
    }

    private static JsonObject ControlView(FakeFlinkJob job) =>
        new() { ["jid"] = job.Id, ["name"] = job.Name, ["state"] = job.State, ["parallelism"] = job.Parallelism };

    private async Task<(int, JsonNode)> CreateScriptedJobAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Error(400, $"The body is not JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                var root = document.RootElement;
                var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                var parallelism = root.TryGetProperty("parallelism", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 1;
                var phases = new List<FakeFlinkJobPhase>();
                if (root.TryGetProperty("states", out var states) && states.ValueKind == JsonValueKind.Array)
                {
                    foreach (var s in states.EnumerateArray())
                    {
                        var state = s.TryGetProperty("state", out var st) ? st.GetString() ?? "" : "";
                        TimeSpan? duration = s.TryGetProperty("ms", out var ms) && ms.ValueKind == JsonValueKind.Number
                            ? TimeSpan.FromMilliseconds(ms.GetDouble())
                            : null;
                        phases.Add(new FakeFlinkJobPhase(state, duration));
                    }
                }
                else
                {
                    phases.Add(new FakeFlinkJobPhase(FlinkJobStates.Running));
                }

                FakeFlinkJobException? failure = null;
                if (root.TryGetProperty("exception", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    failure = new FakeFlinkJobException(
                        e.TryGetProperty("name", out var en) ? en.GetString() ?? "" : "",
                        e.TryGetProperty("stacktrace", out var es) ? es.GetString() ?? "" : "");
                    if (failure.ExceptionName.Length == 0)
                    {
                        return Error(400, "\"exception\" needs a \"name\".");
                    }
                }

                var job = AddJob(name, phases, parallelism, failure);
                return (201, new JsonObject { ["jid"] = job.Id });
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
            {
                return Error(400, ex.Message);
            }
        }
    }

    private static string? Get(HttpContext context) =>
        context.Request.Query.TryGetValue("get", out var names) ? names.ToString() : null;

    private static (int, JsonNode) Error(int status, string message) =>
        (status, new JsonObject { ["errors"] = new JsonArray(message) });

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex JobIdPattern();
}
