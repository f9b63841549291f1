namespace TunnelOperator.Operator;

/// <summary>Names the operator writes onto objects: its field manager, labels, annotations and finalizer.</summary>
internal static class WellKnown
{
    /// <summary>The one server-side-apply field manager of every child the operator writes.</summary>
    public const string FieldManager = "tunneloperator";

    /// <summary>The component that reports the operator's Events.</summary>
    public const string EventComponent = "tunneloperator";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "tunneloperator";
    public const string NameLabel = "app.kubernetes.io/name";
    public const string InstanceLabel = "app.kubernetes.io/instance";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string EdgeNodeLabel = "tunneloperator.io/edgenode";
    public const string TunnelLabel = "tunneloperator.io/tunnel";

    /// <summary>Hash of what the operator last applied to a child; a child that carries it and every applied field is left alone.</summary>
    public const string AppliedHashAnnotation = "tunneloperator.io/applied-hash";

    /// <summary>On a Tunnel's token Secret and its agent pods: the id of the edge token (never the token itself).</summary>
    public const string TokenIdAnnotation = "tunneloperator.io/token-id";

    /// <summary>On a Tunnel's token Secret: the uid of the EdgeNode that issued it (a re-created edge has a new store).</summary>
    public const string EdgeUidAnnotation = "tunneloperator.io/edge-uid";

    /// <summary>On a Tunnel's token Secret: when the token was issued (RFC 3339).</summary>
    public const string TokenIssuedAtAnnotation = "tunneloperator.io/token-issued-at";

    /// <summary>Held by a Tunnel until its token is revoked on the edge (or the edge is gone).</summary>
    public const string RevokeTokenFinalizer = "tunneloperator.io/revoke-token";
}
