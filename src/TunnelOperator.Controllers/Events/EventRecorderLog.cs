using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Events;

internal static partial class EventRecorderLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Could not write event {Reason} about {Kind} {Namespace}/{Name}")]
    public static partial void WriteFailed(ILogger logger, Exception error, string reason, string? kind, string? @namespace, string? name);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Event queue full ({Capacity}); dropped event {Reason} about {Kind} {Namespace}/{Name}")]
    public static partial void Dropped(ILogger logger, int capacity, string reason, string? kind, string? @namespace, string? name);
}
