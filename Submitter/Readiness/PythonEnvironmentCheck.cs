using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FlinkBeam.Cluster.Checks;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Submitter.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Readiness;

/// <summary>
/// The "python" condition: runs the Submitter's own copy of <c>pipelines/env_check.py</c> (embedded in the assembly,
/// fed to the interpreter on standard input, so it does not matter where the catalog lives) with the configured
/// interpreter and the expected versions. The script prints one JSON line (<c>python_version</c>, <c>python_minor</c>,
/// <c>apache_beam_version</c>, <c>ok</c>, <c>problems</c>); the Python minor version and apache-beam release it reports
/// are compared with the configured ones. A check that holds is kept for the life of the process (per interpreter
/// path); a failing one is repeated, at most once per <see cref="RecheckInterval"/>, because the environment may still
/// be being installed.
/// </summary>
public sealed class PythonEnvironmentCheck
{
    public const string ConditionName = "python";
    public const string ScriptName = "env_check.py";

    /// <summary>The script's text, embedded from <c>pipelines/env_check.py</c> at build time.</summary>
    public static string Script { get; } = ReadScript();

    private readonly SubmitterOptions _options;
    private readonly ILogger<PythonEnvironmentCheck> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public PythonEnvironmentCheck(IOptions<SubmitterOptions> options, ILogger<PythonEnvironmentCheck> logger, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The shortest time between two runs of the script while the check fails.</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string Expected => $"Python {_options.PythonVersion} with apache-beam {_options.BeamVersion}";

    public Task<ReadinessCondition> CheckAsync(CancellationToken cancellationToken = default)
    {
        var interpreter = _options.PythonPath;
        Task<ReadinessCondition> running;
        lock (_lock)
        {
            if (!_entries.TryGetValue(interpreter, out var entry))
            {
                entry = new Entry();
                _entries[interpreter] = entry;
            }

            if (entry.Passed is { } passed)
            {
                return Task.FromResult(passed);
            }

            if (entry.Running is null)
            {
                if (entry.LastFailure is { } failure && _time.GetElapsedTime(entry.FailedAt) < RecheckInterval)
                {
                    return Task.FromResult(failure);
                }

                // Not tied to one caller's token: concurrent callers share the run, and its own timeout bounds it.
                entry.Running = RunAndRememberAsync(interpreter, entry);
            }

            running = entry.Running;
        }

        return running.WaitAsync(cancellationToken);
    }

    private async Task<ReadinessCondition> RunAndRememberAsync(string interpreter, Entry entry)
    {
        await Task.Yield();
        ReadinessCondition result;
        try
        {
            result = await RunAsync(interpreter).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            result = Fail($"the check could not run: {e.Message}");
        }

        lock (_lock)
        {
            entry.Running = null;
            if (result.Ok)
            {
                entry.Passed = result;
            }
            else
            {
                entry.LastFailure = result;
                entry.FailedAt = _time.GetTimestamp();
            }
        }

        if (result.Ok)
        {
            _logger.LogInformation("Python environment checked: {Interpreter} is {Observed}", interpreter, result.Observed);
        }
        else
        {
            _logger.LogDebug("Python environment check failed for {Interpreter}: {Observed}", interpreter, result.Observed);
        }

        return result;
    }

    private async Task<ReadinessCondition> RunAsync(string interpreter)
    {
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        // "-" runs the program read from standard input; the arguments after it are the script's own.
        start.ArgumentList.Add("-");
        start.ArgumentList.Add("--expect-beam");
        start.ArgumentList.Add(_options.BeamVersion.Trim());
        start.ArgumentList.Add("--expect-python");
        start.ArgumentList.Add(_options.PythonVersion.Trim());
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return Fail(e.NativeErrorCode == 2 ? $"interpreter '{interpreter}' not found" : $"interpreter '{interpreter}' cannot be started: {e.Message}");
        }

        try
        {
            await process.StandardInput.WriteAsync(Script).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The interpreter exited without reading its program (not a Python at all): its output says why.
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(_options.PythonCheckTimeout, _time);
        string output, errors;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            output = await stdout.WaitAsync(timeout.Token).ConfigureAwait(false);
            errors = await stderr.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }

            return Fail($"{ScriptName} did not finish within {CheckFailure.Seconds(_options.PythonCheckTimeout)}");
        }

        return Evaluate(interpreter, process.ExitCode, output, errors);
    }

    internal ReadinessCondition Evaluate(string interpreter, int exitCode, string stdout, string stderr)
    {
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            var detail = LastLine(stderr) ?? LastLine(stdout) ?? "no output";
            return Fail($"'{interpreter} {ScriptName}' exited with code {exitCode} without a JSON report: {detail}");
        }

        string? pythonVersion, pythonMinor, beamVersion;
        var problems = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            pythonVersion = ReadString(root, "python_version");
            pythonMinor = ReadString(root, "python_minor");
            beamVersion = ReadString(root, "apache_beam_version");
            if (root.TryGetProperty("problems", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                problems.AddRange(list.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Fail($"{ScriptName} printed a line that is not its JSON report ({e.Message}): {line}");
        }

        if (pythonMinor is null && pythonVersion is not null)
        {
            pythonMinor = string.Join('.', pythonVersion.Split('.').Take(2));
        }

        var seen = $"Python {pythonVersion ?? pythonMinor ?? "of unknown version"} "
            + (beamVersion is null ? "without apache-beam" : $"with apache-beam {beamVersion}");
        var ok = string.Equals(pythonMinor, _options.PythonVersion.Trim(), StringComparison.Ordinal)
            && string.Equals(beamVersion, _options.BeamVersion.Trim(), StringComparison.Ordinal);
        if (!ok && problems.Count > 0)
        {
            seen += $" ({string.Join("; ", problems)})";
        }

        return new ReadinessCondition(ConditionName, ok, Expected, $"{seen} at '{interpreter}'");
    }

    private ReadinessCondition Fail(string observed) => new(ConditionName, false, Expected, observed);

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ReadScript()
    {
        using var stream = typeof(PythonEnvironmentCheck).Assembly.GetManifestResourceStream(ScriptName)
            ?? throw new InvalidOperationException($"The Submitter assembly lacks its embedded {ScriptName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private sealed class Entry
    {
        public ReadinessCondition? Passed;
        public ReadinessCondition? LastFailure;
        public long FailedAt;
        public Task<ReadinessCondition>? Running;
    }
}
