using Microsoft.Extensions.Logging;

namespace TunnelOperator.Mux.Tests.Support;

/// <summary>Writes log lines to the running test's output, so a failure shows why a session ended.</summary>
internal sealed class TestLogger(string name) : ILogger
{
    public static ILogger For(string name) => new TestLogger(name);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"[{name} {logLevel}] {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; a session ending after it has no one to tell.
        }
    }
}
