namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>Condition types an <see cref="EdgeNode"/> reports.</summary>
public static class EdgeNodeConditions
{
    public const string Ready = "Ready";

    public const string Progressing = "Progressing";

    public const string Degraded = "Degraded";
}
