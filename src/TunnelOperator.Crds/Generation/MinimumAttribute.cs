namespace TunnelOperator.Crds.Generation;

/// <summary>Inclusive lower bound of an integer field that has no natural upper bound.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class MinimumAttribute(long minimum) : Attribute
{
    public long Minimum { get; } = minimum;
}
