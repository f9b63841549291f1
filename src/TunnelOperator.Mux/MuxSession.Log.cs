using Microsoft.Extensions.Logging;

namespace TunnelOperator.Mux;

public sealed partial class MuxSession
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "mux {Role} session started")]
    private static partial void LogStarted(ILogger logger, string role);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "mux {Role} session ended with {StreamCount} open streams: {Reason}")]
    private static partial void LogEnded(ILogger logger, string role, string reason, int streamCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "mux {Role} session: the peer broke the protocol: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string role, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "mux {Role} session: keepalive ping {PingId} unanswered within {Timeout}")]
    private static partial void LogKeepAliveTimeout(ILogger logger, string role, uint pingId, TimeSpan timeout);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "mux {Role} session: transport write made no progress for {Timeout}")]
    private static partial void LogWriteTimeout(ILogger logger, string role, TimeSpan timeout);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "mux {Role} session refused stream {StreamId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string role, uint streamId, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "mux {Role} session discarded {Length} bytes for closed stream {StreamId}")]
    private static partial void LogDiscarded(ILogger logger, string role, uint streamId, uint length);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "mux {Role} session: the peer sent GoAway({Code})")]
    private static partial void LogGoAwayReceived(ILogger logger, string role, MuxGoAwayCode code);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "mux {Role} session sent GoAway({Code})")]
    private static partial void LogGoAwaySent(ILogger logger, string role, MuxGoAwayCode code);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "mux {Role} session: shutdown did not finish cleanly: {Reason}")]
    private static partial void LogShutdownFailed(ILogger logger, string role, string reason);
}
