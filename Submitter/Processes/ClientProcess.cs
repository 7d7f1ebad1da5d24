using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Processes;

/// <summary>
/// One running pipeline client. Output is read continuously from both pipes (so a client that prints a lot never
/// blocks on a full pipe), kept as the last lines in a ring, and handed to the logger and to the
/// <see cref="StartInfo.Output"/> sink, each through a bounded queue of its own that drops the oldest lines (and counts
/// them) rather than slowing the reader when its consumer cannot keep up.
/// </summary>
/// <remarks>
/// Each pipe is read by its own small background thread. On Unix, reads of a child's pipes are blocking even when
/// called as ReadAsync (dotnet/runtime#81896): done on the thread pool, every running client would hold two pool
/// threads for its whole life, and 50 clients would starve the pool that polls Flink and serves the API.
/// </remarks>
public sealed class ClientProcess : IDisposable
{
    /// <summary>What to start for one attempt of a run: the interpreter, its argument list, where, and with what environment.</summary>
    /// <param name="FileName">The Python interpreter (a path, or a name looked up on PATH).</param>
    /// <param name="Arguments">Passed one by one through <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>, never through a shell.</param>
    /// <param name="WorkingDirectory">The catalog's folder.</param>
    /// <param name="Environment">Added to (or, with a null value, removed from) the inherited environment.</param>
    /// <param name="Pipeline">For log scopes.</param>
    /// <param name="RunId">For log scopes.</param>
    public sealed record StartInfo(
        string FileName,
        IReadOnlyList<string> Arguments,
        string WorkingDirectory,
        IReadOnlyDictionary<string, string?> Environment,
        string Pipeline,
        string RunId)
    {
        /// <summary>The variables every client gets: unbuffered output so lines reach the logs as they are printed.</summary>
        public static IReadOnlyDictionary<string, string?> DefaultEnvironment { get; } = new Dictionary<string, string?>
        {
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONIOENCODING"] = "utf-8",
        };

        /// <summary>How many of the last output lines are kept for the run record.</summary>
        public int KeptLines { get; init; } = 50;

        /// <summary>Called with every line the client prints (stdout and stderr), in order, off the pipes' reader threads.</summary>
        public Action<string>? Output { get; init; }
    }

    /// <summary>Longer lines are cut, so a client printing without newlines cannot exhaust memory.</summary>
    internal const int MaxLineLength = 16 * 1024;

    private const int LogQueueCapacity = 10_000;

    private const int OutputQueueCapacity = 10_000;

    // The reader threads only decode lines; a small stack keeps 100 of them cheap.
    private const int ReaderStackSize = 256 * 1024;

    // A grandchild that inherited the pipes may keep them open after the client exits; output is not awaited longer than this.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly StartInfo _launch;
    private readonly ILogger _logger;
    private readonly OutputRing _ring;
    private readonly Channel<(bool Error, string Line)> _logQueue;
    private readonly Channel<string>? _outputQueue;
    private readonly CancellationTokenSource _readers = new();
    private long _droppedLogLines;
    private long _droppedOutputLines;

    private ClientProcess(Process process, StartInfo launch, ILogger logger)
    {
        _process = process;
        _launch = launch;
        _logger = logger;
        _ring = new OutputRing(launch.KeptLines);
        _logQueue = Channel.CreateBounded<(bool, string)>(
            new BoundedChannelOptions(LogQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _droppedLogLines));
        if (launch.Output is not null)
        {
            _outputQueue = Channel.CreateBounded<string>(
                new BoundedChannelOptions(OutputQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Interlocked.Increment(ref _droppedOutputLines));
        }

        ProcessId = process.Id;
        Identity = ProcessIdentity.Of(process.Id);
        LogCompletion = Task.WhenAll(
            Task.Run(WriteLogsAsync),
            launch.Output is { } output ? Task.Run(() => ForwardOutputAsync(output)) : Task.CompletedTask);
        var stdout = ReadOnOwnThread(process.StandardOutput.BaseStream, error: false, _readers.Token);
        var stderr = ReadOnOwnThread(process.StandardError.BaseStream, error: true, _readers.Token);
        Completion = SuperviseAsync(stdout, stderr);
    }

    /// <summary>The operating system's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The process id with its start time, read right after the start; null when it had already ended.</summary>
    public ProcessIdentity? Identity { get; }

    /// <summary>The exit code, once the process has exited and its output was read (or stopped being awaited).</summary>
    public Task<int> Completion { get; }

    /// <summary>Completes when every line read so far has been handed to the logger and the output sink.</summary>
    public Task LogCompletion { get; }

    /// <summary>The last lines printed on stdout and stderr, oldest first.</summary>
    public IReadOnlyList<string> LastLines => _ring.Snapshot();

    /// <summary>Lines read so far on both streams.</summary>
    public long LinesRead => _ring.Total;

    /// <summary>Lines the output sink did not get because the client printed faster than it took them.</summary>
    public long OutputLinesDropped => Interlocked.Read(ref _droppedOutputLines);

    /// <summary>
    /// Starts the client on a thread of its own: fork/exec is synchronous and takes hundreds of milliseconds on a busy
    /// machine, which must not hold the thread pool (50 runs launched at once would starve it).
    /// </summary>
    /// <exception cref="ClientStartException">The interpreter or the working directory is missing or unusable.</exception>
    public static Task<ClientProcess> StartAsync(StartInfo launch, ILogger logger) =>
        Task.Factory.StartNew(() => Start(launch, logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Starts the client on the calling thread.</summary>
    /// <exception cref="ClientStartException">The interpreter or the working directory is missing or unusable.</exception>
    public static ClientProcess Start(StartInfo launch, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(logger);
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in launch.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in StartInfo.DefaultEnvironment.Concat(launch.Environment))
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        if (!Directory.Exists(launch.WorkingDirectory))
        {
            throw new ClientStartException(launch.FileName, $"the working directory '{launch.WorkingDirectory}' does not exist.");
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new ClientStartException(launch.FileName, ex.Message, ex);
        }

        // Clients never read input; closing it makes a stray input() fail at once instead of hanging.
        process.StandardInput.Close();

        // A client mostly waits for its job; below the Submitter's priority, a crowd of them starting at once cannot
        // starve the supervision of the runs already going (nor the readiness gate admitting the others).
        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // It already exited, or the system does not allow it: the client simply runs at normal priority.
        }
        return new ClientProcess(process, launch, logger);
    }

    /// <summary>Ends the client and every process it started. Does nothing once it has exited.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception ex)
        {
            _logger.LogWarning(ex, "Could not end client process {ProcessId} of run {RunId}", ProcessId, _launch.RunId);
        }
    }

    public void Dispose()
    {
        _readers.Cancel();
        _process.Dispose();
        _readers.Dispose();
    }

    private async Task<int> SuperviseAsync(Task stdout, Task stderr)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var readers = Task.WhenAll(stdout, stderr);
        if (await Task.WhenAny(readers, Task.Delay(DrainTimeout)).ConfigureAwait(false) != readers)
        {
            await _readers.CancelAsync().ConfigureAwait(false);
        }

        _logQueue.Writer.TryComplete();
        _outputQueue?.Writer.TryComplete();
        return _process.ExitCode;
    }

    /// <summary>Reads <paramref name="stream"/> to its end on a background thread of its own; the task completes then.</summary>
    private Task ReadOnOwnThread(Stream stream, bool error, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    ReadLines(stream, error, cancellationToken);
                    done.TrySetResult();
                }
                catch (Exception ex)
                {
                    // Never take the process down from a reader thread; the output read so far is kept.
                    done.TrySetException(ex);
                }
            },
            ReaderStackSize)
        {
            IsBackground = true,
            Name = $"client {ProcessId} {(error ? "stderr" : "stdout")}",
        };
        thread.Start();
        return done.Task;
    }

    private void ReadLines(Stream stream, bool error, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var line = new StringBuilder();
        var truncated = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var read = stream.Read(bytes);
                if (read == 0)
                {
                    break;
                }

                var count = decoder.GetChars(bytes, 0, read, chars, 0);
                for (var i = 0; i < count; i++)
                {
                    var c = chars[i];
                    if (c == '\n')
                    {
                        Emit(line, error, truncated);
                        line.Clear();
                        truncated = false;
                    }
                    else if (line.Length < MaxLineLength)
                    {
                        line.Append(c);
                    }
                    else
                    {
                        truncated = true;
                    }
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke, e.g. the tree was killed mid-write; what was read is kept.
        }
        catch (ObjectDisposedException)
        {
        }

        if (line.Length > 0)
        {
            Emit(line, error, truncated);
        }
    }

    private void Emit(StringBuilder buffer, bool error, bool truncated)
    {
        var length = buffer.Length;
        if (length > 0 && buffer[length - 1] == '\r')
        {
            length--;
        }

        var line = buffer.ToString(0, length);
        if (truncated)
        {
            line += " [line cut]";
        }

        _ring.Add(line);
        _logQueue.Writer.TryWrite((error, line));
        _outputQueue?.Writer.TryWrite(line);
    }

    private async Task WriteLogsAsync()
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["Pipeline"] = _launch.Pipeline,
            ["RunId"] = _launch.RunId,
            ["ProcessId"] = ProcessId,
        });
        var reported = 0L;
        await foreach (var (error, line) in _logQueue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            ReportDropped(ref _droppedLogLines, ref reported, "logged", "the logs accepted them");
            if (error)
            {
                _logger.LogInformation("[stderr] {Line}", line);
            }
            else
            {
                _logger.LogInformation("[stdout] {Line}", line);
            }
        }
    }

    private async Task ForwardOutputAsync(Action<string> sink)
    {
        var reported = 0L;
        await foreach (var line in _outputQueue!.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            ReportDropped(ref _droppedOutputLines, ref reported, "streamed", "they were sent");
            sink(line);
        }
    }

    private void ReportDropped(ref long dropped, ref long reported, string what, string consumer)
    {
        var now = Interlocked.Read(ref dropped);
        if (now > reported)
        {
            _logger.LogWarning("{Count} client output lines were not {What} because the client printed faster than {Consumer}", now - reported, what, consumer);
            reported = now;
        }
    }
}
