using System.Diagnostics.Metrics;

namespace TunnelOperator.Controllers.Queue;

/// <summary>How a <see cref="WorkQueue{TKey}"/> paces retries, keeps time and reports.</summary>
public sealed record WorkQueueOptions<TKey>
    where TKey : notnull
{
    /// <summary>The <c>name</c> label of the queue's series; a controller's queue is named after the controller.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Paces <see cref="WorkQueue{TKey}.AddRateLimited"/>; <see cref="RateLimiters.Default{TKey}"/> when null.</summary>
    public IRateLimiter<TKey>? RateLimiter { get; init; }

    /// <summary>Clock for delayed adds and latency; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the depth, adds, retries and latency series go; a meter of the queue's own when null.</summary>
    public Meter? Meter { get; init; }
}
