namespace TunnelOperator.Crds.Generation;

/// <summary>Bounds on the number of entries of a list or map (minItems/maxItems, minProperties/maxProperties).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class ItemsAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum { get; } = minimum;

    public int Maximum { get; } = maximum;
}
