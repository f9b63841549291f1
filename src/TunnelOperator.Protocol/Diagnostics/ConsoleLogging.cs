using Microsoft.Extensions.Logging;

namespace TunnelOperator.Protocol.Diagnostics;

public static class ConsoleLogging
{
    /// <summary>Console logging to stderr; the level comes from the named variable (debug, info, warn, error).</summary>
    public static ILoggerFactory Create(string variable) => LoggerFactory.Create(builder =>
    {
        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.SetMinimumLevel(Environment.GetEnvironmentVariable(variable)?.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        });
        builder.AddFilter("Microsoft", LogLevel.Warning);
    });
}
