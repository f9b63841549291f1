namespace TunnelOperator.Crds.Generation;

/// <summary>
/// A CEL rule the API server evaluates against the object or field it is declared on
/// (x-kubernetes-validations), for constraints OpenAPI cannot state, such as "exactly one of".
/// Our local control plane does not evaluate CEL, so every rule has a C# twin in the spec's
/// <c>Validate</c> method, which the operator runs; both share <see cref="Message"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
internal sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>Where the error points, relative to the object (e.g. <c>.publicPort</c>).</summary>
    public string? FieldPath { get; init; }
}
