namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>PascalCase reasons of an EdgeNode's conditions.</summary>
internal static class EdgeNodeReasons
{
    /// <summary>Ready: pods are ready and the live edge answers <c>/readyz</c>.</summary>
    public const string EdgeReady = "EdgeReady";

    /// <summary>Ready: no edge pod is ready yet.</summary>
    public const string DeploymentNotReady = "DeploymentNotReady";

    /// <summary>Ready: pods are ready but the edge's <c>/readyz</c> fails or cannot be reached.</summary>
    public const string EdgeUnreachable = "EdgeUnreachable";

    /// <summary>spec.replicas is 0.</summary>
    public const string ScaledToZero = "ScaledToZero";

    /// <summary>More than one replica with the SQLite store (one file, one writer): refused.</summary>
    public const string ReplicasNeedPostgres = "ReplicasNeedPostgres";

    /// <summary>A TLS mode this edge cannot serve yet (acme): refused.</summary>
    public const string UnsupportedTlsMode = "UnsupportedTlsMode";

    /// <summary>Another rule of the spec is broken: refused.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>A child exists that someone else owns.</summary>
    public const string ChildConflict = "ChildConflict";

    public const string RollingOut = "RollingOut";
    public const string RolloutComplete = "RolloutComplete";
    public const string ReplicasUnavailable = "ReplicasUnavailable";
    public const string AllReplicasReady = "AllReplicasReady";
}
