namespace TunnelOperator.Kubernetes.Models;

/// <summary>Which object a <see cref="Status"/> is about, and why, field by field (meta/v1 StatusDetails).</summary>
public sealed record StatusDetails
{
    public string? Name { get; init; }

    public string? Group { get; init; }

    public string? Kind { get; init; }

    public string? Uid { get; init; }

    /// <summary>One entry per invalid field of a 422 Invalid, or per conflicting manager of a server-side apply 409.</summary>
    public IReadOnlyList<StatusCause>? Causes { get; init; }

    /// <summary>Set on 429 and some 5xx answers: when the client may retry.</summary>
    public int? RetryAfterSeconds { get; init; }
}
