namespace TunnelOperator.Crds;

/// <summary>The API group and version every kind of the suite is served under.</summary>
public static class CrdGroup
{
    public const string Name = "tunneloperator.io";

    public const string Version = "v1alpha1";

    /// <summary><c>tunneloperator.io/v1alpha1</c>, as written in <c>apiVersion</c>.</summary>
    public const string ApiVersion = Name + "/" + Version;
}
