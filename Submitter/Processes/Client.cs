using FlinkBeam.Submitter.Supervision;

namespace FlinkBeam.Submitter.Processes;

/// <summary>
/// The client process of a run as supervision sees it: this Submitter's own (read and awaited), one started before a
/// restart (only its liveness can be seen, and it can be ended), or none known.
/// </summary>
internal abstract class Client
{
    private DateTimeOffset? _goneAt;

    /// <summary>Completes when the process is gone, or when it is worth looking again (an orphan is polled).</summary>
    public abstract Task Changed(TimeProvider time);

    /// <summary>Ends the process and its children; returns its exit code when it can be read.</summary>
    public abstract Task<int?> EndAsync(TimeSpan wait, TimeProvider time);

    /// <summary>The client as it is at <paramref name="now"/>.</summary>
    public ClientObservation Observe(DateTimeOffset now)
    {
        var observation = Look();
        if (observation.IsGone)
        {
            _goneAt ??= now;
        }

        return observation with { GoneAt = _goneAt, EndedBySubmitter = EndedBySubmitter };
    }

    public virtual IReadOnlyList<string>? LastLines => null;

    protected bool EndedBySubmitter { get; set; }

    protected abstract ClientObservation Look();

    public static Client None { get; } = new NoClient();

    /// <summary>The client a run recorded before a restart, if it recorded one.</summary>
    public static Client Recorded(int? processId, long? start) =>
        processId is { } id && start is { } marker ? new OrphanClient(new ProcessIdentity(id, marker)) : None;

    private sealed class NoClient : Client
    {
        public override Task Changed(TimeProvider time) => Task.Delay(Timeout.Infinite);

        public override Task<int?> EndAsync(TimeSpan wait, TimeProvider time) => Task.FromResult<int?>(null);

        protected override ClientObservation Look() => ClientObservation.Unknown;
    }
}

/// <summary>This Submitter's own client.</summary>
internal sealed class OwnClient(ClientProcess process) : Client
{
    public ClientProcess Process { get; } = process;

    public override IReadOnlyList<string>? LastLines => Process.LastLines;

    public override Task Changed(TimeProvider time) => Process.Completion;

    public override async Task<int?> EndAsync(TimeSpan wait, TimeProvider time)
    {
        if (!Process.Completion.IsCompleted)
        {
            EndedBySubmitter = true;
            Process.Kill();
        }

        try
        {
            return await Process.Completion.WaitAsync(wait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    protected override ClientObservation Look()
    {
        if (!Process.Completion.IsCompleted)
        {
            return new ClientObservation(ClientStatus.Running, Process.ProcessId);
        }

        var lines = Process.LastLines;
        int? exitCode = Process.Completion.IsCompletedSuccessfully ? Process.Completion.Result : null;
        return new ClientObservation(
            ClientStatus.Exited,
            Process.ProcessId,
            exitCode,
            TransientSignature: exitCode is 0 ? null : TransientClientFailure.Match(lines),
            LastLine: lines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim());
    }
}

/// <summary>A client started by a Submitter that is gone: it is not this process's child, so it is watched by polling.</summary>
internal sealed class OrphanClient(ProcessIdentity identity) : Client
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public override Task Changed(TimeProvider time) => Task.Delay(PollInterval, time);

    public override Task<int?> EndAsync(TimeSpan wait, TimeProvider time)
    {
        EndedBySubmitter |= identity.TryKillTree();
        return Task.FromResult<int?>(null);
    }

    protected override ClientObservation Look() =>
        new(identity.IsRunning() ? ClientStatus.OrphanRunning : ClientStatus.OrphanGone, identity.ProcessId);
}
