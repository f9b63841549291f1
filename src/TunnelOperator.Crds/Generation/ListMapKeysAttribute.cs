namespace TunnelOperator.Crds.Generation;

/// <summary>
/// A list whose entries are identified by these keys (x-kubernetes-list-type: map), so server-side
/// apply merges entries by key instead of replacing the list, and duplicates are rejected.
/// Every key must be required or defaulted in the entry schema.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
