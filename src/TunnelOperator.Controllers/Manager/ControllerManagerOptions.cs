using System.Net;
using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Leadership;

namespace TunnelOperator.Controllers.Manager;

/// <summary>How a <see cref="ControllerManager"/> caches, elects, listens and shuts down.</summary>
public sealed record ControllerManagerOptions
{
    /// <summary>Names the manager in logs and the leader gauge when there is no lease.</summary>
    public string Name { get; init; } = "tunneloperator";

    /// <summary>
    /// What the shared informers watch (a namespace, selectors) and how they pace themselves. Its
    /// clock and loggers are replaced by the manager's.
    /// </summary>
    public InformerOptions Cache { get; init; } = new();

    /// <summary>Null (the default) runs the controllers at once; set, they run only while this replica holds the lease.</summary>
    public LeaderElectionOptions? LeaderElection { get; init; }

    /// <summary>Where <c>/healthz</c> and <c>/readyz</c> are served (controller-runtime: :8081); null for nowhere. Port 0 picks one.</summary>
    public IPEndPoint? HealthProbeEndPoint { get; init; }

    /// <summary>Where <c>/metrics</c> is served (controller-runtime: :8080); null for nowhere. The same fixed end point as the probes shares their server.</summary>
    public IPEndPoint? MetricsEndPoint { get; init; }

    /// <summary>How long in-flight reconciles get to finish on shutdown before they are cancelled (controller-runtime: 30 s).</summary>
    public TimeSpan GracefulShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }
}
