using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Metrics;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>What a controller borrows from its manager: the shared cache, metrics, clock and logs.</summary>
internal sealed record ControllerHost(
    InformerCache Cache,
    ControllerMetrics Metrics,
    TimeProvider Time,
    ILoggerFactory LoggerFactory,
    TimeSpan GracefulShutdownTimeout,
    Action<IController> Register);
