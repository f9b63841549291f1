using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Controllers.Events;

/// <summary>Who reports events and how many may wait.</summary>
public sealed record EventRecorderOptions
{
    /// <summary><c>reportingComponent</c> and <c>source.component</c>, e.g. <c>tunneloperator.io/operator</c>.</summary>
    public required string Component { get; init; }

    /// <summary><c>reportingInstance</c> and <c>source.host</c>: the replica (its pod name); the machine name by default.</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>Events waiting to be written before new ones are dropped.</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>
    /// The same event (object, type, reason, message) seen again within this long bumps the count of
    /// the existing Event instead of creating another (client-go's correlator: 10 minutes).
    /// </summary>
    public TimeSpan CorrelationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct events remembered for correlation, least recently seen forgotten first (client-go: 4096).</summary>
    public int CorrelationCacheSize { get; init; } = 4096;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Where <c>tunneloperator_events_dropped_total</c> goes; a meter of the recorder's own when null.</summary>
    public Meter? Meter { get; init; }
}
