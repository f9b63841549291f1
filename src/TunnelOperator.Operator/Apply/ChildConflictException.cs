namespace TunnelOperator.Operator.Apply;

/// <summary>A child the operator would write exists already and belongs to someone else; it is never taken over.</summary>
internal sealed class ChildConflictException(string message) : Exception(message);
