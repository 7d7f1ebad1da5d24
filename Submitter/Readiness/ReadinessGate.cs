using FlinkBeam.Cluster.Checks;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// Measures, for real, whether the cluster can take a run: Flink's TaskManagers and free slots, the job server
/// (Portable mode), each worker pool (External environment) and the Python environment. One probe loop per cluster
/// serves every caller at once: while anyone waits it asks the failing probes at the polling interval, and asks every
/// probe again when a caller arrived after the latest answer was asked. Runs are admitted in the order they asked, on
/// such a fresh answer, and the slots of an admitted run are held for it until Flink runs its job, so runs admitted
/// together never ask for more slots than are free (<see cref="AdmissionDecision"/>).
/// </summary>
public sealed class ReadinessGate : IReadinessGate, IAsyncDisposable
{
    private readonly IReadOnlyList<IReadinessCheck> _probes;
    private readonly ILogger<ReadinessGate> _logger;
    private readonly TimeProvider _time;
    private readonly ReadinessPolling _polling;
    private readonly Lock _lock = new();
    private readonly List<Waiter> _queue = [];
    private readonly LatestAnswer?[] _latest;
    private readonly BackgroundLoop _loop;
    private TaskCompletionSource _wake = NewSignal();
    private int _reserved;
    private int _disposed;
    private string? _lastSignature;
    private long _lastChange;
    private long _lastLog;

    /// <summary>A gate over <paramref name="probes"/> (see <see cref="ReadinessServiceCollectionExtensions.AddReadinessGate"/>).</summary>
    internal ReadinessGate(IReadOnlyList<IReadinessCheck> probes, ILogger<ReadinessGate> logger, TimeProvider time, ReadinessPolling polling)
    {
        _probes = probes;
        _logger = logger;
        _time = time;
        _polling = polling;
        _latest = new LatestAnswer?[_probes.Count];
        _lastChange = _time.GetTimestamp();
        _loop = new BackgroundLoop(LoopAsync);
    }

    public async Task<ReadinessReport> CheckAsync(int parallelism, CancellationToken cancellationToken = default) =>
        (await EnqueueAsync(WaiterKind.Check, parallelism, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false)).Report;

    public async Task<ReadinessReport> WaitUntilReadyAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        (await EnqueueAsync(WaiterKind.Wait, parallelism, timeout, cancellationToken).ConfigureAwait(false)).Report;

    public Task<GateAdmission> AdmitAsync(int parallelism, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        EnqueueAsync(WaiterKind.Admit, parallelism, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _loop.StopAsync().ConfigureAwait(false);
        lock (_lock)
        {
            foreach (var waiter in _queue)
            {
                waiter.Done.TrySetCanceled();
            }

            _queue.Clear();
        }

        await _loop.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<GateAdmission> EnqueueAsync(WaiterKind kind, int parallelism, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parallelism);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var waiter = new Waiter(kind, parallelism, timeout, _time.GetTimestamp());
        lock (_lock)
        {
            _queue.Add(waiter);
            _loop.Start();
            _wake.TrySetResult();
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                _queue.Remove(waiter);
                if (waiter.Done.Task.IsCompletedSuccessfully)
                {
                    // Admitted just as the caller gave up: give the slots back.
                    waiter.Done.Task.Result.Release();
                }
            }

            throw;
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var interval = _polling.Initial;
        var gather = true;
        while (!stopping.IsCancellationRequested)
        {
            if (gather)
            {
                await GatherAsync().ConfigureAwait(false);
            }

            List<int> ask;
            Task wake;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _loop.Idle();
                    return;
                }

                if (_wake.Task.IsCompleted)
                {
                    _wake = NewSignal();
                }

                wake = _wake.Task;
                ask = ProbesToAsk();
            }

            await AskAsync(ask).ConfigureAwait(false);

            TimeSpan? delay;
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                Judge(now);
                if (_queue.Count == 0)
                {
                    continue;
                }

                var failing = _latest.Any(a => a is { Answer.Ok: false });
                var needsFresh = _queue.Any(w => !IsFresh(w));
                interval = _polling.Next(interval, _time.GetElapsedTime(_lastChange, now));
                delay = needsFresh && !failing ? null : Min(interval, NextDeadline(now));
                gather = delay is null;
            }

            if (delay is { } wait && wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.WhenAny(wake, Task.Delay(wait, _time, stopping)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Callers arriving together (runs requested at once) are served by one round, not one round each: the round starts
    // once no caller has arrived for a few turns of the thread pool, or after Gather at the latest.
    private async Task GatherAsync()
    {
        var started = _time.GetTimestamp();
        var seen = -1;
        var quiet = 0;
        while (quiet < 3 && _time.GetElapsedTime(started) < _polling.Gather)
        {
            int count;
            lock (_lock)
            {
                count = _queue.Count;
            }

            quiet = count == seen ? quiet + 1 : 0;
            seen = count;
            await Task.Yield();
        }
    }

    // Under the lock: failing and missing answers are asked every round; the others only when a caller needs an answer
    // newer than its arrival, or, while runs wait for slots, Flink's (which reports them).
    private List<int> ProbesToAsk()
    {
        var newestArrival = _queue.Where(w => !IsFresh(w)).Select(w => w.ArrivedAt).DefaultIfEmpty(long.MinValue).Max();
        var queuedForSlots = _queue.Any(w => w.Last?.Kind == AdmissionKind.Queue);
        var ask = new List<int>();
        for (var i = 0; i < _probes.Count; i++)
        {
            if (_latest[i] is not { } answer || !answer.Answer.Ok
                || answer.AskedAt < newestArrival
                || (queuedForSlots && answer.Answer.Capacity is not null))
            {
                ask.Add(i);
            }
        }

        return ask;
    }

    private async Task AskAsync(List<int> probes)
    {
        var asked = _time.GetTimestamp();
        var answers = await Task.WhenAll(probes.Select(async i =>
        {
            try
            {
                return await _probes[i].CheckAsync(_loop.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_loop.Stopping.IsCancellationRequested)
            {
                return _probes[i].Unanswered("the Submitter is stopping");
            }
        })).ConfigureAwait(false);

        lock (_lock)
        {
            for (var k = 0; k < probes.Count; k++)
            {
                _latest[probes[k]] = new LatestAnswer(answers[k], asked);
            }
        }
    }

    // Under the lock: judges every waiter in arrival order on the latest answers and completes those that are decided.
    private void Judge(long now)
    {
        var conditions = _latest.SelectMany(a => a?.Answer.Conditions ?? []).ToArray();
        var capacity = _latest.Select(a => a?.Answer.Capacity).FirstOrDefault(c => c is not null);
        var complete = _latest.All(a => a is not null);
        TrackChanges(conditions, now);

        var admitted = new List<Waiter>();
        var decided = new List<(Waiter Waiter, ReadinessReport Report, Action? Release)>();
        var blocked = false;
        foreach (var waiter in _queue.ToList())
        {
            var fresh = complete && IsFresh(waiter);
            var judgement = AdmissionDecision.Judge(conditions, capacity, waiter.Parallelism, _reserved);
            // A failing condition may be judged on any answer (failing ones are asked every round); a look, an admission
            // or a place in the queue only on answers asked after the caller arrived.
            var needsFresh = waiter.Kind == WaiterKind.Check || judgement.Kind != AdmissionKind.NotReady;
            if (!complete || (!fresh && needsFresh))
            {
                // Not judged yet: the answers it needs are still being asked.
                if (waiter.Kind != WaiterKind.Check && _time.GetElapsedTime(waiter.ArrivedAt, now) >= waiter.Timeout && waiter.Last is null)
                {
                    decided.Add((waiter, Unanswered(waiter), null));
                }

                continue;
            }

            // First come, first served: a run waiting for slots is not overtaken by a later one.
            if (blocked && judgement.Kind == AdmissionKind.Admit && waiter.Kind == WaiterKind.Admit)
            {
                judgement = judgement with { Kind = AdmissionKind.Queue };
            }

            waiter.Last = judgement;
            waiter.NotReadySince = judgement.Kind == AdmissionKind.NotReady ? waiter.NotReadySince ?? now : null;
            switch (waiter.Kind)
            {
                case WaiterKind.Check:
                    decided.Add((waiter, judgement.Report, null));
                    break;

                case WaiterKind.Wait when judgement.Kind == AdmissionKind.Admit:
                    admitted.Add(waiter);
                    decided.Add((waiter, judgement.Report, null));
                    break;

                case WaiterKind.Wait when _time.GetElapsedTime(waiter.ArrivedAt, now) >= waiter.Timeout:
                    LogTimeout(waiter, judgement.Report);
                    decided.Add((waiter, judgement.Report, null));
                    break;

                case WaiterKind.Admit when judgement.Kind == AdmissionKind.Admit:
                    _reserved += waiter.Parallelism;
                    admitted.Add(waiter);
                    decided.Add((waiter, judgement.Report, Releaser(waiter.Parallelism)));
                    break;

                case WaiterKind.Admit when judgement.Kind == AdmissionKind.Queue:
                    blocked = true;
                    break;

                case WaiterKind.Admit when _time.GetElapsedTime(waiter.NotReadySince!.Value, now) >= waiter.Timeout:
                    LogTimeout(waiter, judgement.Report);
                    decided.Add((waiter, judgement.Report, null));
                    break;
            }
        }

        if (admitted.Count > 0)
        {
            _logger.LogInformation("Cluster ready for parallelism {Parallelism} after {Elapsed} ms ({Count} admitted): {Conditions}",
                string.Join(", ", admitted.Select(w => w.Parallelism).Distinct()),
                (long)admitted.Max(w => _time.GetElapsedTime(w.ArrivedAt, now)).TotalMilliseconds,
                admitted.Count,
                string.Join(", ", conditions.Select(c => c.Name)));
        }

        // Completed last, so a caller that resumes at once finds the log written.
        foreach (var (waiter, report, release) in decided)
        {
            Complete(waiter, report, release);
        }
    }

    private void TrackChanges(ReadinessCondition[] conditions, long now)
    {
        var signature = string.Join('\n', conditions.Select(c => $"{c.Name}|{c.Ok}|{c.Observed}"));
        // What a waiter that is not ready was told, else the cluster's conditions; only written when a line is logged.
        string Failing() => (_queue.Select(w => w.Last).FirstOrDefault(l => l?.Kind == AdmissionKind.NotReady)?.Report
            ?? new ReadinessReport(conditions)).Describe().ReplaceLineEndings("; ");
        if (signature != _lastSignature)
        {
            _lastSignature = signature;
            _lastChange = now;
            if (conditions.Any(c => !c.Ok))
            {
                _lastLog = now;
                _logger.LogInformation("Waiting for the cluster: {Holding}/{Total} conditions hold; {Failing}",
                    conditions.Count(c => c.Ok), conditions.Length, Failing());
            }
        }
        else if (conditions.Any(c => !c.Ok) && _time.GetElapsedTime(_lastLog, now) >= _polling.ProgressLogInterval)
        {
            _lastLog = now;
            _logger.LogInformation("Still waiting for the cluster: {Failing}", Failing());
        }
    }

    private void LogTimeout(Waiter waiter, ReadinessReport report) =>
        _logger.LogWarning("Cluster not ready for parallelism {Parallelism} within {Timeout}: {Failing}",
            waiter.Parallelism, CheckFailure.Seconds(waiter.Timeout), report.Describe().ReplaceLineEndings("; "));

    private ReadinessReport Unanswered(Waiter waiter)
    {
        var observed = $"no answer within the ready timeout of {CheckFailure.Seconds(waiter.Timeout)}";
        var answers = _latest.Select((a, i) => a?.Answer ?? _probes[i].Unanswered(observed)).ToList();
        return AdmissionDecision.Judge(answers.SelectMany(a => a.Conditions).ToArray(),
            answers.Select(a => a.Capacity).FirstOrDefault(c => c is not null), waiter.Parallelism, _reserved).Report;
    }

    private Action Releaser(int parallelism) => () =>
    {
        lock (_lock)
        {
            _reserved -= parallelism;
            _wake.TrySetResult();
        }
    };

    private void Complete(Waiter waiter, ReadinessReport report, Action? release)
    {
        _queue.Remove(waiter);
        var admission = new GateAdmission(report, release, _time.GetElapsedTime(waiter.ArrivedAt));
        if (!waiter.Done.TrySetResult(admission))
        {
            admission.Release();
        }
    }

    // Only answers asked after the caller arrived count: a run is never admitted on what the cluster looked like before
    // it asked. Callers arriving during a round are served together by the next one.
    private bool IsFresh(Waiter waiter) => _latest.All(a => a is not null && a.AskedAt >= waiter.ArrivedAt);

    private TimeSpan NextDeadline(long now)
    {
        var next = TimeSpan.MaxValue;
        foreach (var waiter in _queue)
        {
            var since = waiter.Kind == WaiterKind.Admit ? waiter.NotReadySince : waiter.Kind == WaiterKind.Wait ? waiter.ArrivedAt : null;
            if (since is { } start && waiter.Timeout != Timeout.InfiniteTimeSpan)
            {
                var left = waiter.Timeout - _time.GetElapsedTime(start, now);
                next = left < next ? left : next;
            }
        }

        return next < TimeSpan.Zero ? TimeSpan.Zero : next;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private enum WaiterKind
    {
        /// <summary>One fresh look (the check command, health).</summary>
        Check,

        /// <summary>Until ready, without holding slots (AutoRun, check with a timeout).</summary>
        Wait,

        /// <summary>A run: until admitted with its slots held.</summary>
        Admit,
    }

    private sealed record LatestAnswer(CheckAnswer Answer, long AskedAt);

    private sealed class Waiter(WaiterKind kind, int parallelism, TimeSpan timeout, long arrivedAt)
    {
        public WaiterKind Kind { get; } = kind;
        public int Parallelism { get; } = parallelism;
        public TimeSpan Timeout { get; } = timeout;
        public long ArrivedAt { get; } = arrivedAt;
        public Admission? Last { get; set; }
        public long? NotReadySince { get; set; }
        public TaskCompletionSource<GateAdmission> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
