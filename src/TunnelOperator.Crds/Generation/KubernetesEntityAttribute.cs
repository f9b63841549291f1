namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Marks a root kind for the CRD generator and adds the names kubectl knows it by. The group,
/// version, kind, plural and scope come from the kind's <c>IKubernetesEntity.Resource</c>, so the
/// client and the manifest cannot disagree about them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class KubernetesEntityAttribute : Attribute
{
    /// <summary>Abbreviations accepted by <c>kubectl get</c>.</summary>
    public string[] ShortNames { get; init; } = [];

    /// <summary>Groupings such as <c>kubectl get tunneloperator</c>.</summary>
    public string[] Categories { get; init; } = [];
}
