namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Points at any object, e.g. the one an event is about (core/v1 ObjectReference).</summary>
public sealed record ObjectReference
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Uid { get; init; }

    /// <summary>The version the event was observed at, for readers that want to correlate.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Part of the object, e.g. <c>spec.containers{name}</c>.</summary>
    public string? FieldPath { get; init; }
}
