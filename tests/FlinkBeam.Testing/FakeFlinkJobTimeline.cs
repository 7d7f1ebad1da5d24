using FlinkBeam.Cluster.Flink;

namespace FlinkBeam.Testing;

/// <summary>
/// One fake job's history as a list of (state, since) transitions with absolute times, so scripted phases,
/// explicit state changes and cancellation all read the same way: the current state is the last transition
/// that has already happened. Not thread-safe; <see cref="FakeFlinkCluster"/> locks around it.
/// </summary>
internal sealed class FakeFlinkJobTimeline
{
    private readonly List<(string State, long At)> _transitions = [];

    public FakeFlinkJobTimeline(string id, string name, int parallelism, long startTime)
    {
        Id = id;
        Name = name;
        Parallelism = parallelism;
        StartTime = startTime;
    }

    public string Id { get; }
    public string Name { get; }
    public int Parallelism { get; }
    public long StartTime { get; }

    /// <summary>Shown once the job has reached FAILED (scripted failures).</summary>
    public FakeFlinkJobException? FailureException { get; set; }

    /// <summary>What the job's metrics endpoints answer.</summary>
    public FakeFlinkJobMetrics Metrics { get; set; } = new();

    /// <summary>Set explicitly by a test; shown at once.</summary>
    public (FakeFlinkJobException Exception, long At)? ExplicitException { get; set; }

    public void Script(IReadOnlyList<FakeFlinkJobPhase> phases, long from)
    {
        var at = from;
        foreach (var phase in phases)
        {
            _transitions.Add((phase.State, at));
            at += (long)(phase.Duration ?? TimeSpan.Zero).TotalMilliseconds;
        }
    }

    /// <summary>Replaces whatever was scripted from <paramref name="now"/> on with <paramref name="state"/>.</summary>
    public void Set(string state, long now)
    {
        _transitions.RemoveAll(t => t.At > now);
        _transitions.Add((state, now));
    }

    public (string State, long Since) Current(long now)
    {
        var current = _transitions[0];
        foreach (var t in _transitions)
        {
            if (t.At <= now)
            {
                current = t;
            }
        }

        return current;
    }

    /// <summary>When the next scripted transition after <paramref name="now"/> happens, or null when none is ahead.</summary>
    public long? NextTransition(long now) => _transitions.Where(t => t.At > now).Select(t => (long?)t.At).Min();

    /// <summary>Times at which each state was first entered, up to now (Flink's "timestamps" map).</summary>
    public IEnumerable<(string State, long At)> History(long now) => _transitions.Where(t => t.At <= now);

    public FakeFlinkJob Snapshot(long now)
    {
        var (state, since) = Current(now);
        var end = FlinkJobStates.IsTerminal(state) ? since : -1;
        return new FakeFlinkJob(Id, Name, state, Parallelism, StartTime, end, (end >= 0 ? end : now) - StartTime, since);
    }

    public IReadOnlyList<(FakeFlinkJobException Exception, long At)> Exceptions(long now)
    {
        var list = new List<(FakeFlinkJobException, long)>();
        if (ExplicitException is { } explicitException)
        {
            list.Add(explicitException);
        }

        if (FailureException is { } failure
            && _transitions.FirstOrDefault(t => t.State == FlinkJobStates.Failed && t.At <= now) is { State: not null } failed)
        {
            list.Add((failure, failed.At));
        }

        // Flink lists the newest failure first.
        return list.OrderByDescending(e => e.Item2).ToList();
    }
}
