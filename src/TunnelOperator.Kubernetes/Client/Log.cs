using Microsoft.Extensions.Logging;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>The client's log events. Never a token, key or Secret value.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "API server warning on {Operation}: {Warning}")]
    public static partial void ApiWarning(ILogger logger, string operation, string warning);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Cannot re-read the token file {Path} ({Error}); the last token stays in use")]
    public static partial void TokenFileUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Watch opened: {Operation} from resourceVersion {ResourceVersion}")]
    public static partial void WatchOpened(ILogger logger, string operation, string? resourceVersion);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Watch closed: {Operation} after {Events} events ({Why})")]
    public static partial void WatchClosed(ILogger logger, string operation, int events, string why);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Operation} failed: {Code} {Reason}")]
    public static partial void RequestFailed(ILogger logger, string operation, int code, string? reason);
}
