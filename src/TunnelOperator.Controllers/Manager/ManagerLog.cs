using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Manager;

internal static partial class ManagerLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Manager {Manager} started with {Controllers} controllers (leader election: {Election})")]
    public static partial void Started(ILogger logger, string manager, int controllers, string election);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Manager {Manager} stopping: no new work, waiting up to {Timeout} for reconciles in flight")]
    public static partial void Stopping(ILogger logger, string manager, TimeSpan timeout);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Manager {Manager} stopped")]
    public static partial void Stopped(ILogger logger, string manager);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Manager {Manager}: a leadership term failed")]
    public static partial void TermFailed(ILogger logger, Exception error, string manager);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Manager {Manager} serving {Paths} on {Url}")]
    public static partial void Serving(ILogger logger, string manager, string paths, Uri url);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Manager {Manager} stopped leading; controllers stopped at once")]
    public static partial void StoppedLeading(ILogger logger, string manager);
}
