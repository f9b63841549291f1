namespace TunnelOperator.Crds.Generation;

/// <summary>
/// An object whose contents the API server keeps unvalidated and unpruned
/// (x-kubernetes-preserve-unknown-fields), for fields that hold another API's objects.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class PreserveUnknownFieldsAttribute : Attribute;
