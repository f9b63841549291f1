namespace TunnelOperator.Kubernetes.Models.ApiExtensions;

/// <summary>A column <c>kubectl get</c> prints for a custom kind.</summary>
public sealed record CustomResourceColumnDefinition
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public string? Format { get; init; }

    public string? Description { get; init; }

    public int? Priority { get; init; }

    public string? JsonPath { get; init; }
}
