namespace TunnelOperator.Controllers.Controllers;

/// <summary>The kinds of <see cref="ErrorDecision"/>.</summary>
public enum ErrorDecisionKind
{
    Backoff,
    RetryAfter,
    Drop,
}
