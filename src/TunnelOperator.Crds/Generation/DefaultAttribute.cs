namespace TunnelOperator.Crds.Generation;

/// <summary>
/// The value the API server writes when the field is absent. The C# property's initialiser must
/// hold the same value (a test checks it), so a reader of an object that was never defaulted
/// sees what the server would have stored. Without a value it means the empty object
/// <c>{}</c>, which makes the server default the fields inside it too.
/// </summary>
/// <remarks>
/// A defaulted property has <c>set</c>, not <c>init</c>: System.Text.Json's source generator
/// passes every init-only property to the object initialiser, so a field absent from the JSON
/// would overwrite the initialiser with <c>default(T)</c> (null, 0). The generator refuses it.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class DefaultAttribute : Attribute
{
    public DefaultAttribute() => Value = null;

    public DefaultAttribute(bool value) => Value = value;

    public DefaultAttribute(int value) => Value = value;

    public DefaultAttribute(long value) => Value = value;

    public DefaultAttribute(string value) => Value = value;

    /// <summary>An enum member: written as its JSON name.</summary>
    public DefaultAttribute(object value) => Value = value;

    /// <summary>Null means the empty object.</summary>
    public object? Value { get; }
}
