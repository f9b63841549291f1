namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A probe by running a command in the container; exit 0 succeeds.</summary>
public sealed record ExecAction
{
    public IReadOnlyList<string>? Command { get; init; }
}
