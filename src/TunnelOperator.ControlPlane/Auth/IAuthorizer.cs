namespace TunnelOperator.ControlPlane.Auth;

/// <summary>What is being attempted, in the terms of kube-apiserver's authorizer.Attributes.</summary>
public sealed record AuthorizationAttributes(UserInfo User, string Verb, string Group, string Resource, string Subresource, string Namespace, string Name, string Path);

/// <summary>The seam where RBAC would go; today every authenticated user may do everything.</summary>
public interface IAuthorizer
{
    bool Authorize(AuthorizationAttributes attributes, out string reason);
}

/// <summary>Allows every authenticated request (the local control plane has one admin).</summary>
internal sealed class AllowAuthenticatedAuthorizer : IAuthorizer
{
    public bool Authorize(AuthorizationAttributes attributes, out string reason)
    {
        reason = "";
        return true;
    }
}
