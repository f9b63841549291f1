namespace TunnelOperator.Kubernetes.Models;

/// <summary>The <c>type</c> of one event of a watch stream (meta/v1 WatchEvent).</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>
    /// Only a resourceVersion: the stream is up to date to that point (API concepts, "Watch
    /// bookmarks"); resuming from it avoids a 410 Gone after quiet periods.
    /// </summary>
    Bookmark,

    /// <summary>The object is a Status; the client surfaces it as an exception and never yields it.</summary>
    Error,
}
