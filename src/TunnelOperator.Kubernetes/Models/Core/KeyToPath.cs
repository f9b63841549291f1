namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>Maps one key to a file path in a volume.</summary>
public sealed record KeyToPath
{
    public string? Key { get; init; }

    public string? Path { get; init; }

    public int? Mode { get; init; }
}
