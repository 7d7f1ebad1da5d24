using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FlinkBeam.Submitter.Tests;

/// <summary>One captured log record with the scope values active when it was written.</summary>
internal sealed record EngineLogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

/// <summary>A logger provider that keeps every record and its scopes (<c>BeginScope</c> with key/value pairs), for assertions.</summary>
internal sealed class EngineLogCapture : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<EngineLogEntry> _entries = new();
    private readonly AsyncLocal<ImmutableScope?> _scope = new();

    public IReadOnlyList<EngineLogEntry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed record ImmutableScope(IReadOnlyDictionary<string, object?> Values, ImmutableScope? Parent);

    private sealed class Logger(EngineLogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            var values = new Dictionary<string, object?>(owner._scope.Value?.Values ?? new Dictionary<string, object?>());
            if (state is IEnumerable<KeyValuePair<string, object>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value;
                }
            }

            var parent = owner._scope.Value;
            owner._scope.Value = new ImmutableScope(values, parent);
            return new Pop(owner, parent);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new EngineLogEntry(category, logLevel, formatter(state, exception),
                owner._scope.Value?.Values ?? new Dictionary<string, object?>()));
    }

    private sealed class Pop(EngineLogCapture owner, ImmutableScope? parent) : IDisposable
    {
        public void Dispose() => owner._scope.Value = parent;
    }
}
