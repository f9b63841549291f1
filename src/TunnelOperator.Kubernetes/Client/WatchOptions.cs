namespace TunnelOperator.Kubernetes.Client;

/// <summary>Query parameters of a watch (meta/v1 ListOptions with <c>watch=true</c>).</summary>
public sealed record WatchOptions
{
    /// <summary>Changes after this version; usually the list's <c>metadata.resourceVersion</c> or the last event's.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Ask for BOOKMARK events, so a resumed watch starts from a recent version. On by default.</summary>
    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>
    /// The server ends the watch after this long (the stream then just ends). The client also gives
    /// up a grace period later, should the server or a proxy keep a dead stream open.
    /// </summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Streaming list: ADDED events for current state first, ended by a bookmark (needs bookmarks and <c>NotOlderThan</c>).</summary>
    public bool? SendInitialEvents { get; init; }

    public string? ResourceVersionMatch { get; init; }
}
