using Microsoft.Extensions.Logging;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Cache;

/// <summary>What an informer lists and watches, and how it paces itself.</summary>
public sealed record InformerOptions
{
    /// <summary>Only this namespace; null for all namespaces (or a cluster-scoped kind).</summary>
    public string? Namespace { get; init; }

    /// <summary>Only objects with these labels, e.g. <c>app.kubernetes.io/managed-by=tunneloperator</c>.</summary>
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>
    /// Replays every cached object as an update this often (client-go's resync), so handlers see each
    /// object again even when nothing changed. Null (the default) for never: controllers that need a
    /// periodic look return <c>RequeueAfter</c> instead.
    /// </summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>
    /// The server ends a watch after a random time between this and twice this (client-go: 5 to 10
    /// minutes), so watches of many replicas do not all reconnect at once. The informer then watches
    /// again from the last resourceVersion it saw, without relisting.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Objects per list page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>The first wait after a failed list or a broken watch, doubling up to <see cref="MaxBackoff"/> (client-go: 800 ms to 30 s).</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Applied to every listed or watched object before it is cached and handed to handlers (controller-runtime's
    /// <c>DefaultTransform</c>), e.g. <see cref="InformerTransforms.TrimManagedFields"/> to keep the cache small.
    /// Must return an object of the same kind, namespace and name; must not throw.
    /// </summary>
    public Func<KubernetesObject, KubernetesObject>? Transform { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }
}
