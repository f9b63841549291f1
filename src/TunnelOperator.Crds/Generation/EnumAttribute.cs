namespace TunnelOperator.Crds.Generation;

/// <summary>
/// The values a string field may take. C# enum properties need no attribute: their values come
/// from <c>JsonStringEnumMemberName</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class EnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
