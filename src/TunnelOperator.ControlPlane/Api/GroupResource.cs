namespace TunnelOperator.ControlPlane.Api;

/// <summary>A resource qualified by its group, printed as kube-apiserver does: <c>configmaps</c>, <c>tunnels.tunneloperator.io</c>.</summary>
internal readonly record struct GroupResource(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}

/// <summary>A kind qualified by its group: <c>ConfigMap</c>, <c>Tunnel.tunneloperator.io</c>.</summary>
internal readonly record struct GroupKind(string Group, string Kind)
{
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}
