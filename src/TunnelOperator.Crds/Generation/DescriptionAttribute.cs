namespace TunnelOperator.Crds.Generation;

/// <summary>
/// The text <c>kubectl explain</c> shows for a kind or field. The generator refuses a field
/// without one, so every field the API accepts is documented.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, Inherited = false)]
internal sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
