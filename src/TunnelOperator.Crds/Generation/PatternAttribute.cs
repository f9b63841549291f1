namespace TunnelOperator.Crds.Generation;

/// <summary>
/// A regular expression a string must match. The API server evaluates it with Go's RE2, so it
/// must avoid what RE2 lacks (look-around, back-references); <see cref="Patterns"/> holds the shared ones.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}
