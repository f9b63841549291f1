using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Controllers;

internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Starting {Workers} workers of controller {Controller} with {Keys} objects queued")]
    public static partial void Starting(ILogger logger, string controller, int workers, int keys);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Controller {Controller} stopped ({How})")]
    public static partial void Stopped(ILogger logger, string controller, string how);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Reconciled {Namespace}/{Name} in controller {Controller} (reconcileID {ReconcileID}): {Result}")]
    public static partial void Reconciled(ILogger logger, string controller, string? @namespace, string name, string reconcileID, string result);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Reconciler error on {Namespace}/{Name} in controller {Controller} (reconcileID {ReconcileID}); {Decision}")]
    public static partial void Failed(ILogger logger, Exception error, string controller, string? @namespace, string name, string reconcileID, string decision);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Conflict on {Namespace}/{Name} in controller {Controller} (reconcileID {ReconcileID}): the object changed since it was read ({Reason}); {Decision}")]
    public static partial void Conflict(ILogger logger, string controller, string? @namespace, string name, string reconcileID, string reason, string decision);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "{Namespace}/{Name} is not in the cache of controller {Controller}: deleted, nothing to reconcile")]
    public static partial void Gone(ILogger logger, string controller, string? @namespace, string name);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Reconcile of {Namespace}/{Name} in controller {Controller} (reconcileID {ReconcileID}) was cancelled by shutdown or lost leadership")]
    public static partial void Cancelled(ILogger logger, string controller, string? @namespace, string name, string reconcileID);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Controller {Controller}: in-flight reconciles did not finish within {Timeout}; cancelling them")]
    public static partial void GraceExpired(ILogger logger, string controller, TimeSpan timeout);
}
