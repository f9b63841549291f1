namespace TunnelOperator.Kubernetes.Models;

/// <summary>One observation of an object's state (meta/v1 Condition).</summary>
public sealed record Condition
{
    /// <summary>PascalCase, e.g. <c>Ready</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public required string Status { get; init; }

    public long? ObservedGeneration { get; init; }

    /// <summary>Moves only when <see cref="Status"/> flips.</summary>
    public DateTimeOffset? LastTransitionTime { get; init; }

    /// <summary>PascalCase, machine-readable cause.</summary>
    public string? Reason { get; init; }

    public string? Message { get; init; }
}
