namespace TunnelOperator.Kubernetes.Models;

/// <summary>Points from a dependent object to its owner, for garbage collection and watches.</summary>
public sealed record OwnerReference
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }

    public required string Uid { get; init; }

    /// <summary>True on at most one owner: the controller that manages the dependent.</summary>
    public bool? Controller { get; init; }

    /// <summary>With foreground deletion, the owner waits for this dependent to go first.</summary>
    public bool? BlockOwnerDeletion { get; init; }
}
