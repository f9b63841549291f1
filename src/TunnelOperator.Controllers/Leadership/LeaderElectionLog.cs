using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Leadership;

internal static partial class LeaderElectionLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "{Identity} acquired lease {Namespace}/{Lease}")]
    public static partial void Acquired(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "{Identity} failed to renew lease {Namespace}/{Lease} within {Deadline}; stopped leading")]
    public static partial void Lost(ILogger logger, string identity, string @namespace, string lease, TimeSpan deadline);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "{Identity} released lease {Namespace}/{Lease}")]
    public static partial void Released(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "{Identity}: lease {Namespace}/{Lease} attempt failed")]
    public static partial void AttemptFailed(ILogger logger, Exception error, string identity, string @namespace, string lease);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "{Identity}: the leader of {Namespace}/{Lease} is now '{Leader}'")]
    public static partial void NewLeader(ILogger logger, string identity, string @namespace, string lease, string leader);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "{Identity}: the leader's work did not stop within the renew deadline; lease {Namespace}/{Lease} left to expire")]
    public static partial void Abandoned(ILogger logger, string identity, string @namespace, string lease);
}
