using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Connection;

public enum AgentOutcomeKind
{
    /// <summary>The caller cancelled; not an error.</summary>
    Stopped,
    /// <summary>The edge could not be reached (refused, timed out, TLS failed).</summary>
    Unreachable,
    /// <summary>The edge answered with an error code.</summary>
    Refused,
    /// <summary>A working session ended (network drop, edge restart, takeover, revocation).</summary>
    Lost,
}

/// <summary>How one connection attempt of an agent ended.</summary>
public sealed record AgentOutcome(AgentOutcomeKind Kind, string Message, ErrorCode Code = ErrorCode.Unspecified, bool WasReady = false)
{
    /// <summary>
    /// Errors that another attempt cannot fix: a bad token, a bad name, an unsupported
    /// version. Everything else (conflicts, outages, drops) is retried with backoff.
    /// </summary>
    public bool IsFatal => Kind == AgentOutcomeKind.Refused
        && Code is ErrorCode.PermissionDenied or ErrorCode.Unauthenticated or ErrorCode.InvalidArgument or ErrorCode.FailedPrecondition;
}
