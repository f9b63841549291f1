namespace TunnelOperator.Kubernetes.Models;

/// <summary>
/// Where a kind lives in the API: its group, version and plural resource name, and whether
/// its objects belong to a namespace. The core group is the empty string.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    /// <summary><c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The path prefix of this group-version: <c>/api/v1</c> or <c>/apis/group/version</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public override string ToString() => $"{Plural}.{(Group.Length == 0 ? "core" : Group)}/{Version}";
}
