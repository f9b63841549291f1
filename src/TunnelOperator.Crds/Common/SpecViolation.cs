namespace TunnelOperator.Crds.Common;

/// <summary>
/// A cross-field rule a spec breaks. The same rules are declared as CEL for API servers that
/// evaluate it; our local control plane does not, so the operator checks these as well.
/// </summary>
/// <param name="Field">Field path from the object root, e.g. <c>spec.target</c>.</param>
/// <param name="Message">The message of the matching CEL rule.</param>
public sealed record SpecViolation(string Field, string Message);
