namespace TunnelOperator.Kubernetes.Models;

/// <summary>One cause of a failed call (meta/v1 StatusCause), e.g. <c>FieldValueInvalid</c> at <c>spec.ports[0].port</c>.</summary>
public sealed record StatusCause
{
    /// <summary><c>FieldValueInvalid</c>, <c>FieldValueRequired</c>, <c>FieldManagerConflict</c>, ...</summary>
    public string? Reason { get; init; }

    public string? Message { get; init; }

    /// <summary>The field path the cause is about, in the API's JSONPath-like form.</summary>
    public string? Field { get; init; }
}
