using FlinkBeam.Submitter.Readiness;

namespace FlinkBeam.Submitter.Tests;

/// <summary><see cref="SharedProbe"/>: waiting runs share the answers of one probe instead of each asking the cluster.</summary>
public sealed class SharedProbeTests
{
    /// <summary>A probe whose answers the test releases; it records each call's parallelism and token.</summary>
    private sealed class ScriptedProbe : IReadinessProbe
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource<IReadOnlyList<ReadinessCondition>> _next = NewAnswer();

        public List<(int Parallelism, CancellationToken Token)> Calls { get; } = [];

        public Task<IReadOnlyList<ReadinessCondition>> CheckAsync(int parallelism, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Calls.Add((parallelism, cancellationToken));
                return _next.Task;
            }
        }

        public IReadOnlyList<ReadinessCondition> Unanswered(int parallelism, string observed) => [new("scripted", false, "an answer", observed)];

        /// <summary>Answers the calls made so far with a condition observing <paramref name="observed"/>; later calls wait for the next answer.</summary>
        public void Answer(string observed)
        {
            lock (_lock)
            {
                _next.SetResult([new("scripted", true, "an answer", observed)]);
                _next = NewAnswer();
            }
        }

        private static TaskCompletionSource<IReadOnlyList<ReadinessCondition>> NewAnswer() =>
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_callers_share_the_answer_in_flight_and_the_call_is_not_bound_to_either_caller()
    {
        var inner = new ScriptedProbe();
        var shared = new SharedProbe(inner);

        var first = shared.CheckAsync(2, Ct);
        var second = shared.CheckAsync(2, Ct);
        inner.Answer("one");

        var call = Assert.Single(inner.Calls);
        Assert.False(call.Token.CanBeCanceled);
        Assert.Equal("one", Assert.Single(await first).Observed);
        Assert.Same(await first, await second);
    }

    [Fact]
    public async Task An_answer_that_has_arrived_is_not_reused_the_next_caller_asks_afresh()
    {
        var inner = new ScriptedProbe();
        var shared = new SharedProbe(inner);

        var first = shared.CheckAsync(1, Ct);
        inner.Answer("first");
        await first;
        var next = shared.CheckAsync(1, Ct);
        inner.Answer("second");

        Assert.Equal("second", Assert.Single(await next).Observed);
        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task Each_parallelism_has_its_own_answer()
    {
        var inner = new ScriptedProbe();
        var shared = new SharedProbe(inner);

        var one = shared.CheckAsync(1, Ct);
        var four = shared.CheckAsync(4, Ct);
        inner.Answer("both");
        await Task.WhenAll(one, four);

        Assert.Equal([1, 4], inner.Calls.Select(c => c.Parallelism));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_answer_for_the_others()
    {
        var inner = new ScriptedProbe();
        var shared = new SharedProbe(inner);
        using var givingUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var abandoned = shared.CheckAsync(3, givingUp.Token);
        var waiting = shared.CheckAsync(3, Ct);
        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.False(waiting.IsCompleted);

        inner.Answer("still answered");
        Assert.Equal("still answered", Assert.Single(await waiting).Observed);
        Assert.Single(inner.Calls);
    }
}
