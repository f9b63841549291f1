namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Bounds on a string's length (minLength/maxLength), counted in characters. Bounding every
/// free-form string keeps objects small and lets the API server cost CEL rules.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class LengthAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum { get; } = minimum;

    public int Maximum { get; } = maximum;
}
