using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Cache;

internal static partial class InformerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Informer for {Resource} listed {Count} objects at resourceVersion {ResourceVersion} ({Changes} changes)")]
    public static partial void Listed(ILogger logger, string resource, int count, string? resourceVersion, int changes);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Informer for {Resource}: resourceVersion {ResourceVersion} expired (410); relisting")]
    public static partial void Expired(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Informer for {Resource}: list or watch failed; relisting in {Backoff}")]
    public static partial void Failed(ILogger logger, Exception error, string resource, TimeSpan backoff);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Informer for {Resource}: an event handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception error, string resource);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Informer for {Resource}: watch ended at resourceVersion {ResourceVersion}; watching again")]
    public static partial void WatchEnded(ILogger logger, string resource, string? resourceVersion);
}
