namespace TunnelOperator.ControlPlane.Auth;

/// <summary>An authenticated identity (authentication.k8s.io UserInfo).</summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups);
