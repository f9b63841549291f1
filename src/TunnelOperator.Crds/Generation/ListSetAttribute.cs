namespace TunnelOperator.Crds.Generation;

/// <summary>
/// A list of scalars without duplicates (x-kubernetes-list-type: set): several appliers may each
/// own some entries.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class ListSetAttribute : Attribute;
