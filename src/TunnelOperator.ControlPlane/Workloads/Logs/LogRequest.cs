namespace TunnelOperator.ControlPlane.Workloads.Logs;

/// <summary>core/v1 PodLogOptions: which container's log, which run, and how much of it.</summary>
internal sealed record LogRequest
{
    public required string Container { get; init; }

    /// <summary>Keep streaming until the container's process ends.</summary>
    public bool Follow { get; init; }

    /// <summary>The run before the current (or last) one.</summary>
    public bool Previous { get; init; }

    /// <summary>Only the last N lines.</summary>
    public long? TailLines { get; init; }

    /// <summary>Stop after this many bytes.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Only lines logged at or after this time (sinceSeconds or sinceTime).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Prefix each line with its RFC 3339 timestamp.</summary>
    public bool Timestamps { get; init; }
}
