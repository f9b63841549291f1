using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>One log entry as a test sees it: category, level, event id, exception and message.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, Exception? Exception, string Message);

/// <summary>Keeps every log entry written through the factory it is added to, for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, exception, formatter(state, exception)));
    }
}
