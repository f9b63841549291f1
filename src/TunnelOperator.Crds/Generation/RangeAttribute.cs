namespace TunnelOperator.Crds.Generation;

/// <summary>Inclusive bounds of an integer field (OpenAPI minimum and maximum).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class RangeAttribute(long minimum, long maximum) : Attribute
{
    public long Minimum { get; } = minimum;

    public long Maximum { get; } = maximum;
}
