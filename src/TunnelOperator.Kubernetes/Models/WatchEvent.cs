namespace TunnelOperator.Kubernetes.Models;

/// <summary>
/// One change seen by a watch (meta/v1 WatchEvent). <see cref="Object"/> is set for
/// <see cref="WatchEventType.Added"/>, <see cref="WatchEventType.Modified"/> and
/// <see cref="WatchEventType.Deleted"/> (the last state before deletion). A
/// <see cref="WatchEventType.Bookmark"/> carries only <see cref="ResourceVersion"/>: its object is
/// not a full object (a custom kind's required spec is missing), so it is not decoded.
/// </summary>
public sealed record WatchEvent<T>
    where T : class
{
    public required WatchEventType Type { get; init; }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Mirrors the API field 'object'.")]
    public T? Object { get; init; }

    /// <summary>The resourceVersion to resume a watch from after this event.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>
    /// True on the bookmark that ends the initial events of a watch with <c>sendInitialEvents=true</c>
    /// (annotation <c>k8s.io/initial-events-end</c>).
    /// </summary>
    public bool IsInitialEventsEnd { get; init; }
}
